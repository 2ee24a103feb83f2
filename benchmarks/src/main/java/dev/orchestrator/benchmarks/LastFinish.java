package dev.orchestrator.benchmarks;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * When the last of a known number of agents finished, and the process's CPU then: the end of the tail, from which
 * {@link SimulatedCall#postCallCpuNanosPerCaller} takes what the agents' work after their calls cost.
 */
final class LastFinish {

    private final int expected;
    private final AtomicInteger finished = new AtomicInteger();
    private final AtomicLong at = new AtomicLong();
    private volatile long cpu;

    LastFinish(int expected) {
        this.expected = expected;
    }

    /** Notes that one more agent finished. */
    void finished() {
        at.accumulateAndGet(System.nanoTime(), Math::max);
        if (finished.incrementAndGet() == expected) {
            cpu = ProcessCpu.liveThreadsNanos();
        }
    }

    /** {@link System#nanoTime()} when the last agent finished; 0 before any did. */
    long nanos() {
        return at.get();
    }

    /** {@link ProcessCpu#liveThreadsNanos()} when the last expected agent finished; 0 until then. */
    long cpuNanos() {
        return cpu;
    }
}
