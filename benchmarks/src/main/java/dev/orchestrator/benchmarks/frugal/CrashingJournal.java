package dev.orchestrator.benchmarks.frugal;

import dev.orchestrator.api.Journal;
import dev.orchestrator.api.MissionEvent;
import java.io.IOException;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A journal that stops writing, as a crashed process does, once it has recorded {@code crashAfterCalls} model calls:
 * every later append fails, so the mission stops where a crash would have left its journal. It remembers which
 * calls it recorded ({@code task/turn}), to count those a resumed run makes again.
 */
final class CrashingJournal implements Journal {

    private final Journal delegate;
    private final int crashAfterCalls;
    private final Set<String> recordedCalls = new HashSet<>();
    private boolean crashed;

    CrashingJournal(Journal delegate, int crashAfterCalls) {
        this.delegate = delegate;
        this.crashAfterCalls = crashAfterCalls;
    }

    @Override
    public synchronized CompletableFuture<Long> append(MissionEvent event) {
        if (crashed) {
            return CompletableFuture.failedFuture(new IOException("the process crashed (simulated)"));
        }
        CompletableFuture<Long> appended = delegate.append(event);
        if (event instanceof MissionEvent.LlmCallCompleted call) {
            recordedCalls.add(call.taskId() + "/" + call.callId().substring(call.callId().lastIndexOf('/') + 1));
            crashed = recordedCalls.size() >= crashAfterCalls;
        }
        return appended;
    }

    @Override
    public void replay(Consumer<? super MissionEvent> sink) {
        delegate.replay(sink);
    }

    /** The calls recorded before the crash, as {@code task/turn}. */
    synchronized Set<String> recordedCalls() {
        return Set.copyOf(recordedCalls);
    }

    @Override
    public void close() {
        delegate.close();
    }
}
