package dev.orchestrator.benchmarks;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
    private final int expectedCallers;
    private final AtomicInteger entered = new AtomicInteger();
    private final AtomicInteger returned = new AtomicInteger();
    private final AtomicLong lastReturn = new AtomicLong();
    private volatile long firstReturnCpu;
    private volatile long firstEntryCpu;
    private volatile long lastEntryCpu;
    private volatile long firstEntryCollection;
    private volatile long lastEntryCollection;
    private volatile long firstEntryAllocated;
    private volatile long lastEntryAllocated;

    private SimulatedCall(Duration latency, int expectedCallers, boolean held) {
        this.latency = latency;
        this.expectedCallers = expectedCallers;
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
        int n = entered.incrementAndGet();
        if (n == 1) {
            firstEntryCpu = ProcessCpu.liveThreadsNanos();
            firstEntryCollection = ProcessCpu.collectionMillis();
            firstEntryAllocated = ProcessCpu.allocatedBytes();
        } else if (n == expectedCallers) {
            lastEntryCpu = ProcessCpu.liveThreadsNanos();
            lastEntryCollection = ProcessCpu.collectionMillis();
            lastEntryAllocated = ProcessCpu.allocatedBytes();
        }
        allInside.countDown();
        try {
            Thread.sleep(latency);
            release.await();
            lastReturn.accumulateAndGet(System.nanoTime(), Math::max);
            if (returned.incrementAndGet() == 1) {
                firstReturnCpu = ProcessCpu.liveThreadsNanos();
            }
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

    /**
     * The CPU the process used from the first caller's entry to the last's, per caller after the first: what
     * starting one more agent costs, which the machine's other load disturbs far less than the ramp's wall time.
     */
    double rampCpuNanosPerCaller() {
        return expectedCallers < 2 ? Double.NaN : (double) (lastEntryCpu - firstEntryCpu) / (expectedCallers - 1);
    }

    /**
     * The bytes the process allocated from the first caller's entry to the last's, per caller after the first: what
     * the young collections of the ramp are made of.
     */
    double rampAllocatedBytesPerCaller() {
        return expectedCallers < 2 ? Double.NaN
                : (double) (lastEntryAllocated - firstEntryAllocated) / (expectedCallers - 1);
    }

    /**
     * The milliseconds the garbage collectors took from the first caller's entry to the last's: part of the ramp's
     * wall time that {@linkplain #rampCpuNanosPerCaller() its CPU} leaves out. A collection in the ramp copies every
     * agent already waiting, so it grows with the agents in flight.
     */
    long rampCollectionMillis() {
        return lastEntryCollection - firstEntryCollection;
    }

    /**
     * The milliseconds the garbage collectors have taken since the last caller came in: after the ramp, in the wait
     * (where the callers allocate next to nothing) and in the tail, where a collection that the ramp's allocation
     * brought near falls once the calls return.
     */
    long collectionMillisSinceLastEntry() {
        return ProcessCpu.collectionMillis() - lastEntryCollection;
    }

    /**
     * How much later than due the last caller got back from its wait: the last caller's entry plus the latency is
     * when the last call was due to return, and a call returns only once its thread gets a processor, so this is
     * the part of the tail that the agents' work after their calls (and collections) left the returning calls
     * waiting.
     */
    long returnLagNanos() {
        return lastReturn.get() - lastEntry.get() - latency.toNanos();
    }

    /**
     * The CPU the process used from the first caller's return to {@code cpuAtLastFinish}
     * ({@link ProcessCpu#liveThreadsNanos()} when the last agent finished), per caller: what an agent's work after
     * its call costs (recording its answer, ending its task), the tail's counterpart of
     * {@link #rampCpuNanosPerCaller()}.
     */
    double postCallCpuNanosPerCaller(long cpuAtLastFinish) {
        return (double) (cpuAtLastFinish - firstReturnCpu) / expectedCallers;
    }

    /** {@link System#nanoTime()} when the last caller came in. */
    long lastEntryNanos() {
        return lastEntry.get();
    }
}
