package dev.orchestrator.benchmarks;

/**
 * What each of N waiting agents (or threads) keeps on the heap, in bytes: all of it over a baseline, and the part
 * that is its parked stack.
 *
 * @param bytes live heap per waiter
 * @param stackBytes live {@code StackChunk} bytes per waiter
 */
record Waiting(double bytes, double stackBytes) {

    /** Not measured (a timing run holds none). */
    static final Waiting UNMEASURED = new Waiting(Double.NaN, Double.NaN);

    /** Measures now, while {@code waiters} wait, over the live heap {@code baseline} taken before they started. */
    static Waiting measure(long baseline, int waiters) {
        long live = HeapMeter.liveBytes();
        return new Waiting((double) (live - baseline) / waiters, (double) HeapMeter.stackChunkBytes() / waiters);
    }
}
