/**
 * A durable {@link dev.orchestrator.api.Journal}: {@link dev.orchestrator.core.journal.FileJournal}, a segment-file
 * write-ahead log with group commit, crash recovery and snapshots. Give one to
 * {@link dev.orchestrator.api.Mission.Builder#journal(dev.orchestrator.api.Journal)} and the mission survives a crash
 * of its process or machine. The on-disk format is described in {@code docs/wal-format.md}. A journal kept elsewhere
 * (the PostgreSQL one) writes the same JSON through {@link dev.orchestrator.core.journal.JournalCodec} and holds the
 * engine's snapshots by implementing {@link dev.orchestrator.core.journal.SnapshotJournal}.
 */
package dev.orchestrator.core.journal;
