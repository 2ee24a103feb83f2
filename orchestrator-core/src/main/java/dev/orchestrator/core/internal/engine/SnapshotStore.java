package dev.orchestrator.core.internal.engine;

import dev.orchestrator.api.Journal;
import dev.orchestrator.core.journal.FileJournal;
import dev.orchestrator.core.journal.SnapshotJournal;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * A journal's room for engine snapshots. The file journal, the in-memory one and every {@link SnapshotJournal} have it;
 * a journal of the user's own kind has none, and its missions resume by replaying every event.
 */
interface SnapshotStore {

    /**
     * A stored snapshot.
     *
     * @param seq the sequence number of the last event the state includes
     * @param state the encoded {@link Checkpoint}
     */
    record Stored(long seq, byte[] state) {
    }

    /** Whether enough was appended since the last snapshot that the next one is due. */
    boolean snapshotDue();

    /** Stores {@code state} as of event {@code seq}, which is durable; the events up to it may then go. */
    void snapshot(long seq, byte[] state);

    /** The newest snapshot, if one was stored. */
    Optional<Stored> newest();

    /** The snapshot room of {@code journal}, if it has one. */
    static Optional<SnapshotStore> of(Journal journal) {
        return switch (journal) {
            case InMemoryJournal memory -> Optional.of(memory);
            case FileJournal file -> Optional.of(over(file::snapshotDue, file::snapshot, file::latestSnapshot));
            case SnapshotJournal other -> Optional.of(over(other::snapshotDue, other::snapshot,
                    other::latestSnapshot));
            default -> Optional.empty();
        };
    }

    /** The store over a journal's three snapshot methods (the file journal's, or a {@link SnapshotJournal}'s). */
    private static SnapshotStore over(BooleanSupplier due, BiConsumer<Long, byte[]> store,
            Supplier<Optional<FileJournal.Snapshot>> latest) {
        return new SnapshotStore() {
            @Override
            public boolean snapshotDue() {
                return due.getAsBoolean();
            }

            @Override
            public void snapshot(long seq, byte[] state) {
                store.accept(seq, state);
            }

            @Override
            public Optional<Stored> newest() {
                return latest.get().map(s -> new Stored(s.seq(), s.state()));
            }
        };
    }
}
