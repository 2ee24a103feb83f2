package dev.orchestrator.benchmarks;

import dev.orchestrator.api.MissionEvent;
import dev.orchestrator.api.MissionListener;
import dev.orchestrator.api.MissionProgress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** Times a mission's work phase: from the first todo dispatched to the last finished, as listeners see them. */
final class DispatchWindow implements MissionListener {

    private final AtomicLong firstDispatch = new AtomicLong();
    private final LastFinish lastFinish;

    /** A window over a mission of {@code workers} todos. */
    DispatchWindow(int workers) {
        this.lastFinish = new LastFinish(workers);
    }

    @Override
    public void onEvent(MissionEvent event, MissionProgress progress) {
        switch (event) {
            case MissionEvent.TaskDispatched d -> firstDispatch.compareAndSet(0, System.nanoTime());
            case MissionEvent.TaskFinished f -> lastFinish.finished();
            default -> {
            }
        }
    }

    /** The window as a timing of {@code whole}; valid once every agent has finished. */
    FanOut.Timing timing(Duration whole) {
        if (firstDispatch.get() == 0 || lastFinish.nanos() == 0) {
            throw new IllegalStateException("no agent was dispatched or none finished");
        }
        return new FanOut.Timing(firstDispatch.get(), lastFinish.nanos(), lastFinish.cpuNanos(), whole);
    }
}
