package dev.orchestrator.core.internal.limit;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/**
 * The time the limiter lives on: a clock and a way to run a task later. Tests and the simulation pass a virtual
 * one, so that pauses and timeouts take no real time and happen in a known order.
 */
public interface Scheduler extends InstantSource {

    /** {@link #instant()} in nanoseconds since the epoch; a scheduler may read it more cheaply. */
    default long epochNanos() {
        return nanosOf(instant());
    }

    /**
     * The wall-clock instant of {@code epochNanos}, a time on this scheduler's clock: what a pause's end is told and
     * journaled as, beside events stamped by the wall clock and for a resume in another JVM. The same instant,
     * unless the scheduler's clock runs apart from the wall clock.
     */
    default Instant toWallClock(long epochNanos) {
        return Instant.ofEpochSecond(0, epochNanos);
    }

    /** The time on this scheduler's clock of {@code instant}, a wall-clock instant ({@link #toWallClock}). */
    default long fromWallClock(Instant instant) {
        return nanosOf(instant);
    }

    private static long nanosOf(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000_000L), instant.getNano());
    }

    /** Runs {@code task} once {@code delay} has passed; the task must be short and must not block. */
    Cancellable schedule(Duration delay, Runnable task);

    /** A scheduled task that can be called off. */
    @FunctionalInterface
    interface Cancellable {
        /** Makes sure the task will not run, if it has not started yet. */
        void cancel();
    }
}
