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
        Instant now = instant();
        return Math.addExact(Math.multiplyExact(now.getEpochSecond(), 1_000_000_000L), now.getNano());
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
