package dev.orchestrator.core.internal.engine;

import dev.orchestrator.api.Journal;
import dev.orchestrator.api.MissionEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A journal that keeps events in memory: the default, for missions that need not survive their JVM. It keeps only
 * the events after the newest snapshot, so a long mission's memory is bounded by the snapshot interval.
 */
public final class InMemoryJournal implements Journal, SnapshotStore {

    /** Events between snapshots by default. */
    static final int DEFAULT_SNAPSHOT_INTERVAL = 10_000;

    private final int snapshotInterval;
    private final List<MissionEvent> events = new ArrayList<>();
    private long appended;
    private Stored newest;
    private boolean closed;

    /** A journal that is due for a snapshot every {@value #DEFAULT_SNAPSHOT_INTERVAL} events. */
    public InMemoryJournal() {
        this(DEFAULT_SNAPSHOT_INTERVAL);
    }

    InMemoryJournal(int snapshotInterval) {
        if (snapshotInterval < 1) {
            throw new IllegalArgumentException("the snapshot interval must be at least 1 event, was "
                    + snapshotInterval);
        }
        this.snapshotInterval = snapshotInterval;
    }

    @Override
    public synchronized CompletableFuture<Long> append(MissionEvent event) {
        if (closed) {
            return CompletableFuture.failedFuture(new IllegalStateException("the journal is closed"));
        }
        events.add(event);
        return CompletableFuture.completedFuture(++appended);
    }

    /** Gives the events after the newest snapshot, oldest first. */
    @Override
    public void replay(Consumer<? super MissionEvent> sink) {
        List<MissionEvent> copy;
        synchronized (this) {
            copy = List.copyOf(events);
        }
        copy.forEach(sink);
    }

    @Override
    public synchronized boolean snapshotDue() {
        return events.size() >= snapshotInterval;
    }

    @Override
    public synchronized void snapshot(long seq, Checkpoint checkpoint) {
        long base = appended - events.size();
        if (seq < base || seq > appended) {
            throw new IllegalArgumentException("a snapshot must be at a sequence number from the newest snapshot's ("
                    + base + ") to the last appended (" + appended + "), was " + seq);
        }
        events.subList(0, (int) (seq - base)).clear();
        newest = new Stored(seq, checkpoint);
    }

    @Override
    public synchronized Optional<Stored> newest() {
        return Optional.ofNullable(newest);
    }

    @Override
    public synchronized void close() {
        closed = true;
    }
}
