package dev.orchestrator.core.journal;

import dev.orchestrator.api.Journal;
import java.util.Optional;

/**
 * A {@link Journal} with room for the mission engine's snapshots, for journals kept outside this module (the
 * PostgreSQL one). The engine asks {@link #snapshotDue()} after its appends, stores its state with
 * {@link #snapshot(long, byte[])}, and on resume starts from {@link #latestSnapshot()} and the events
 * {@link #replay replayed} after it. A journal without this room resumes by replaying every event.
 */
public interface SnapshotJournal extends Journal {

    /** Whether enough was appended since the last snapshot that the next one is due. */
    boolean snapshotDue();

    /**
     * Stores {@code state}, the engine's encoding of the mission state after event {@code seq}, durably before it
     * returns; the events up to {@code seq} may then go, and replay starts after {@code seq}.
     *
     * @param seq the sequence number of the last event the state includes; it must be durable
     * @param state the state, opaque to the journal
     */
    void snapshot(long seq, byte[] state);

    /** The newest snapshot, if one was stored. */
    Optional<FileJournal.Snapshot> latestSnapshot();
}
