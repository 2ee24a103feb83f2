package dev.orchestrator.core.internal.limit;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Real time: the system clock as it was at creation, run on by {@link System#nanoTime()} (half the cost of reading
 * the wall clock, which a limiter does three times per call, and never set back by a clock adjustment), and one
 * daemon timer thread. Whoever creates it owns the thread and closes it. The two clocks part when the wall clock is
 * set or the machine sleeps (the monotonic clock stands still in a suspend): what leaves the limiter as an instant
 * is converted at the wall clock's time of the moment.
 */
public final class SystemScheduler implements Scheduler, AutoCloseable {

    private final InstantSource wallClock;
    private final LongSupplier nanoTime;
    private final long epochNanosAtStart;
    private final long nanoTimeAtStart;
    private final ScheduledThreadPoolExecutor timer;

    /** A scheduler whose timer thread has the given name. */
    public SystemScheduler(String threadName) {
        this(threadName, InstantSource.system(), System::nanoTime);
    }

    /** A scheduler on the given clocks, which a test sets apart. */
    SystemScheduler(String threadName, InstantSource wallClock, LongSupplier nanoTime) {
        this.wallClock = wallClock;
        this.nanoTime = nanoTime;
        Instant start = wallClock.instant();
        epochNanosAtStart = start.getEpochSecond() * 1_000_000_000L + start.getNano();
        nanoTimeAtStart = nanoTime.getAsLong();
        timer = new ScheduledThreadPoolExecutor(1, task -> Thread.ofPlatform().name(threadName).daemon()
                .unstarted(task));
        // timeouts are usually cancelled long before they fire: drop them at once instead of keeping them queued
        timer.setRemoveOnCancelPolicy(true);
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochSecond(0, epochNanos());
    }

    @Override
    public long epochNanos() {
        return epochNanosAtStart + (nanoTime.getAsLong() - nanoTimeAtStart);
    }

    @Override
    public Instant toWallClock(long epochNanos) {
        return wallClock.instant().plusNanos(epochNanos - epochNanos());
    }

    @Override
    public long fromWallClock(Instant instant) {
        return epochNanos() + Duration.between(wallClock.instant(), instant).toNanos();
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
