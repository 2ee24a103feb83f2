package dev.orchestrator.benchmarks;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A model call that takes a fixed time, as a remote model would, and knows when every expected caller is inside
 * it: the moment a fan-out is fully in flight, found by counting rather than by sleeping and hoping. It also notes
 * when the last caller came in, which splits a fan-out's overhead into ramp-up and tail.
 */
final class SimulatedCall {

    private final Duration latency;
    private final CountDownLatch allInside;
    private final CountDownLatch release;
    private final AtomicLong lastEntry = new AtomicLong();

    private SimulatedCall(Duration latency, int expectedCallers, boolean held) {
        this.latency = latency;
        this.allInside = new CountDownLatch(expectedCallers);
        this.release = new CountDownLatch(held ? 1 : 0);
    }

    /** A call that returns after {@code latency}. */
    static SimulatedCall timed(Duration latency, int expectedCallers) {
        return new SimulatedCall(latency, expectedCallers, false);
    }

    /**
     * A call that returns after {@code latency} and {@link #release()}, whichever is later: the heap can then be
     * measured at leisure, however long the collections take, while every caller is still inside.
     */
    static SimulatedCall held(Duration latency, int expectedCallers) {
        return new SimulatedCall(latency, expectedCallers, true);
    }

    /** Waits out the call on the caller's thread; the caller counts as inside from the first moment. */
    void await() {
        lastEntry.accumulateAndGet(System.nanoTime(), Math::max);
        allInside.countDown();
        try {
            Thread.sleep(latency);
            release.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("the simulated call was interrupted", e);
        }
    }

    /** Blocks until every expected caller is inside the call. */
    void awaitAllInside(Duration timeout) throws InterruptedException {
        if (!allInside.await(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
            throw new IllegalStateException(allInside.getCount() + " callers never entered the call within "
                    + timeout);
        }
    }

    /** Lets the callers of a {@linkplain #held held} call return. */
    void release() {
        release.countDown();
    }

    /** {@link System#nanoTime()} when the last caller came in. */
    long lastEntryNanos() {
        return lastEntry.get();
    }
}
