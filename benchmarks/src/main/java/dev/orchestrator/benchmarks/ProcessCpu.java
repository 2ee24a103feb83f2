package dev.orchestrator.benchmarks;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;

/**
 * CPU time this JVM has used, on all its threads. On a machine shared with other work, wall time depends on what
 * else runs; the CPU a run used does much less.
 */
public final class ProcessCpu {

    private static final OperatingSystemMXBean OS =
            (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private ProcessCpu() {
    }

    /** Nanoseconds of CPU used by the process so far. */
    public static long nanos() {
        return OS.getProcessCpuTime();
    }
}
