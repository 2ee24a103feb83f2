package dev.orchestrator.core.internal.engine;

import dev.orchestrator.api.Journal;
import dev.orchestrator.core.internal.journal.EventCodec;
import dev.orchestrator.core.journal.FileJournal;
import java.util.Optional;

/**
 * A journal's room for engine snapshots. The file journal and the in-memory one have it; a journal of the user's own
 * kind has none, and its missions resume by replaying every event. The file journal stores a snapshot encoded
 * ({@link CheckpointCodec}); the in-memory one keeps the checkpoint itself, which is immutable, so a snapshot costs it
 * nothing.
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
            case FileJournal file -> Optional.of(new SnapshotStore() {
                private final CheckpointCodec codec = new CheckpointCodec(EventCodec.shared());

                @Override
                public boolean snapshotDue() {
                    return file.snapshotDue();
                }

                @Override
                public void snapshot(long seq, Checkpoint checkpoint) {
                    file.snapshot(seq, codec.encode(checkpoint));
                }

                @Override
                public Optional<Stored> newest() {
                    return file.latestSnapshot().map(s -> new Stored(s.seq(), codec.decode(s.state())));
                }
            });
            default -> Optional.empty();
        };
    }
}
