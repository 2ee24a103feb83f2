package dev.orchestrator.benchmarks;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;

/**
 * CPU time this JVM has used, on all its threads. On a machine shared with other work, wall time depends on what
 * else runs; the CPU a run used does much less.
 */
public final class ProcessCpu {

    private static final OperatingSystemMXBean OS =
            (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private static final com.sun.management.ThreadMXBean ALLOCATIONS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private static final List<GarbageCollectorMXBean> COLLECTORS = ManagementFactory.getGarbageCollectorMXBeans();

    private ProcessCpu() {
    }

    /** Nanoseconds of CPU used by the process so far. */
    public static long nanos() {
        return OS.getProcessCpuTime();
    }

    /**
     * Nanoseconds of CPU used so far by the live platform threads (virtual threads count on their carriers), to
     * the nanosecond where {@link #nanos()} counts in clock ticks: precise enough for a span of a few milliseconds.
     * Threads that have ended are not counted, so use it across spans in which none ends.
     */
    public static long liveThreadsNanos() {
        long sum = 0;
        for (long id : THREADS.getAllThreadIds()) {
            sum += Math.max(0, THREADS.getThreadCpuTime(id));
        }
        return sum;
    }

    /**
     * Bytes the JVM's threads have allocated on the heap so far, ended threads included; a virtual thread's
     * allocations count on its carrier.
     */
    public static long allocatedBytes() {
        return ALLOCATIONS.getTotalThreadAllocatedBytes();
    }

    /**
     * Milliseconds the collectors have taken so far, as their beans count it: the time a stop-the-world collector
     * held every thread, which {@link #liveThreadsNanos()} leaves out, since collectors do not run on the threads
     * it counts.
     */
    public static long collectionMillis() {
        long sum = 0;
        for (GarbageCollectorMXBean collector : COLLECTORS) {
            sum += Math.max(0, collector.getCollectionTime());
        }
        return sum;
    }
}
