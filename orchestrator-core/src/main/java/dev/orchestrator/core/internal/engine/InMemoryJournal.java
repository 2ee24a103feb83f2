package dev.orchestrator.core.internal.engine;

import dev.orchestrator.api.Journal;
import dev.orchestrator.api.MissionEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/** A journal that keeps events in memory: the default, for missions that need not survive their JVM. */
public final class InMemoryJournal implements Journal {

    private final List<MissionEvent> events = new ArrayList<>();
    private boolean closed;

    @Override
    public synchronized CompletableFuture<Long> append(MissionEvent event) {
        if (closed) {
            return CompletableFuture.failedFuture(new IllegalStateException("the journal is closed"));
        }
        events.add(event);
        return CompletableFuture.completedFuture((long) events.size());
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
    }
}
