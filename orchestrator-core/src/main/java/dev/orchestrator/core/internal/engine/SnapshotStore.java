package dev.orchestrator.core.internal.engine;

import dev.orchestrator.api.Journal;
import dev.orchestrator.core.internal.journal.EventCodec;
import dev.orchestrator.core.journal.SnapshotJournal;
import java.util.Optional;

/**
 * A journal's room for engine snapshots. The in-memory journal and every {@link SnapshotJournal} (the file journal,
 * the PostgreSQL one) have it; a journal of the user's own kind has none, and its missions resume by replaying every
 * event. A {@link SnapshotJournal} stores a snapshot encoded ({@link CheckpointCodec}); the in-memory journal keeps
 * the checkpoint itself, which is immutable, so a snapshot costs it nothing.
 */
interface SnapshotStore {

    /**
     * A stored snapshot.
     *
     * @param seq the sequence number of the last event the checkpoint includes
     * @param checkpoint the engine's state after that event
     */
    record Stored(long seq, Checkpoint checkpoint) {
    }

    /** Whether enough was appended since the last snapshot that the next one is due. */
    boolean snapshotDue();

    /** Stores {@code checkpoint} as of event {@code seq}, which is durable; the events up to it may then go. */
    void snapshot(long seq, Checkpoint checkpoint);

    /** The newest snapshot, if one was stored. */
    Optional<Stored> newest();

    /** The snapshot room of {@code journal}, if it has one. */
    static Optional<SnapshotStore> of(Journal journal) {
        return switch (journal) {
            case InMemoryJournal memory -> Optional.of(memory);
            case SnapshotJournal stored -> Optional.of(new SnapshotStore() {
                private final CheckpointCodec codec = new CheckpointCodec(EventCodec.shared());

                @Override
                public boolean snapshotDue() {
                    return stored.snapshotDue();
                }

                @Override
                public void snapshot(long seq, Checkpoint checkpoint) {
                    stored.snapshot(seq, codec.encode(checkpoint));
                }

                @Override
                public Optional<Stored> newest() {
                    return stored.latestSnapshot().map(s -> new Stored(s.seq(), codec.decode(s.state())));
                }
            });
            default -> Optional.empty();
        };
    }
}
