package dev.orchestrator.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import javax.management.JMException;
import javax.management.ObjectName;

/** Live heap: what is left in use after full collections, so garbage does not count. */
final class HeapMeter {

    // one collection can leave objects that only a finalizer or cleaner pass releases; the third changes nothing
    private static final int COLLECTIONS = 3;

    private static final String STACK_CHUNK = "jdk.internal.vm.StackChunk";

    private HeapMeter() {
    }

    /** Bytes of heap in use after {@value #COLLECTIONS} full collections. */
    static long liveBytes() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < COLLECTIONS; i++) {
            memory.gc();
        }
        return memory.getHeapMemoryUsage().getUsed();
    }

    /**
     * Bytes of live {@code StackChunk}s, the stacks of parked virtual threads copied to the heap, from the class
     * histogram that {@code jcmd GC.class_histogram} prints (taking it collects the whole heap first): how much of
     * a waiting thread's heap is its stack, which no public API reports.
     */
    static long stackChunkBytes() {
        String histogram;
        try {
            histogram = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                    new Object[] {new String[0]}, new String[] {String[].class.getName()});
        } catch (JMException e) {
            throw new IllegalStateException("no class histogram: " + e, e);
        }
        // a row: "   1:          5003       18922776  jdk.internal.vm.StackChunk (java.base@25)"
        return histogram.lines()
                .map(String::strip)
                .map(row -> row.split("\\s+"))
                .filter(columns -> columns.length >= 4 && columns[3].equals(STACK_CHUNK))
                .mapToLong(columns -> Long.parseLong(columns[2]))
                .findFirst()
                .orElse(0);
    }
}
