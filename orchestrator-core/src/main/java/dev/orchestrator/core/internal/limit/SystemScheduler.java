package dev.orchestrator.core.internal.limit;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Real time: the system clock and one daemon timer thread. Whoever creates it owns the thread and closes it.
 */
public final class SystemScheduler implements Scheduler, AutoCloseable {

    private final InstantSource clock = InstantSource.system();
    private final ScheduledThreadPoolExecutor timer;

    /** A scheduler whose timer thread has the given name. */
    public SystemScheduler(String threadName) {
        timer = new ScheduledThreadPoolExecutor(1, task -> Thread.ofPlatform().name(threadName).daemon()
                .unstarted(task));
        // timeouts are usually cancelled long before they fire: drop them at once instead of keeping them queued
        timer.setRemoveOnCancelPolicy(true);
    }

    @Override
    public Instant instant() {
        return clock.instant();
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable task) {
        ScheduledFuture<?> future = timer.schedule(task, Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
        return () -> future.cancel(false);
    }

    /** Stops the timer thread; tasks that have not run yet never will. */
    @Override
    public void close() {
        timer.shutdownNow();
    }
}
