package dev.orchestrator.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/** Live heap: what is left in use after full collections, so garbage does not count. */
final class HeapMeter {

    // one collection can leave objects that only a finalizer or cleaner pass releases; the third changes nothing
    private static final int COLLECTIONS = 3;

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
}
