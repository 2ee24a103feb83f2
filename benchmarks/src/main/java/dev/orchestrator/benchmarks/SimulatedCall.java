package dev.orchestrator.benchmarks;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A model call that takes a fixed time, as a remote model would, and knows when every expected caller is inside
 * it: the moment a fan-out is fully in flight, found by counting rather than by sleeping and hoping.
 */
final class SimulatedCall {

    private final Duration latency;
    private final CountDownLatch allInside;
    private final AtomicInteger returned = new AtomicInteger();

    SimulatedCall(Duration latency, int expectedCallers) {
        this.latency = latency;
        this.allInside = new CountDownLatch(expectedCallers);
    }

    /** Waits out the latency on the caller's thread; the caller counts as inside the call from the first moment. */
    void await() {
        allInside.countDown();
        try {
            Thread.sleep(latency);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("the simulated call was interrupted", e);
        }
        returned.incrementAndGet();
    }

    /** Blocks until every expected caller is inside the call. */
    void awaitAllInside(Duration timeout) throws InterruptedException {
        if (!allInside.await(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
            throw new IllegalStateException(allInside.getCount() + " callers never entered the call within "
                    + timeout);
        }
    }

    /** How many callers have come back out. */
    int returned() {
        return returned.get();
    }
}
