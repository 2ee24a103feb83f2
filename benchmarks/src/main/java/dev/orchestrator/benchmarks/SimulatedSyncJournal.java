package dev.orchestrator.benchmarks;

import dev.orchestrator.api.Journal;
import dev.orchestrator.api.MissionEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * A journal that keeps events in memory but makes them durable the way a file journal with group commit would:
 * one thread takes every append waiting, spends one simulated sync on the lot, then completes them in order. It
 * shows how a mission's timing depends on how many sync waits it puts one after another.
 */
final class SimulatedSyncJournal implements Journal {

    private final Duration sync;
    private final List<MissionEvent> events = new ArrayList<>();
    private final List<CompletableFuture<Long>> waiting = new ArrayList<>();
    private final Thread syncer;
    private boolean closed;

    /** A journal whose every sync takes {@code sync}. */
    SimulatedSyncJournal(Duration sync) {
        this.sync = sync;
        this.syncer = Thread.ofPlatform().name("simulated-sync").daemon().start(this::syncLoop);
    }

    @Override
    public synchronized CompletableFuture<Long> append(MissionEvent event) {
        if (closed) {
            return CompletableFuture.failedFuture(new IllegalStateException("the journal is closed"));
        }
        events.add(event);
        CompletableFuture<Long> durable = new CompletableFuture<>();
        waiting.add(durable);
        notifyAll();
        return durable;
    }

    private void syncLoop() {
        while (true) {
            List<CompletableFuture<Long>> batch;
            long lastSequence;
            synchronized (this) {
                while (waiting.isEmpty() && !closed) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (closed) {
                    return;
                }
                batch = List.copyOf(waiting);
                waiting.clear();
                lastSequence = events.size();
            }
            LockSupport.parkNanos(sync.toNanos());
            long sequence = lastSequence - batch.size();
            for (CompletableFuture<Long> durable : batch) {
                durable.complete(++sequence);
            }
        }
    }

    @Override
    public void replay(Consumer<? super MissionEvent> sink) {
        List<MissionEvent> snapshot;
        synchronized (this) {
            snapshot = List.copyOf(events);
        }
        snapshot.forEach(sink);
    }

    @Override
    public synchronized void close() {
        closed = true;
        notifyAll();
        waiting.forEach(durable -> durable.completeExceptionally(new IllegalStateException("the journal closed")));
    }
}
