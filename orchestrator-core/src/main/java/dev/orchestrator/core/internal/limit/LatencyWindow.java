package dev.orchestrator.core.internal.limit;

import java.util.Arrays;

/** The latencies of the last successful calls, to find their median. Not thread-safe: the limiter guards it. */
final class LatencyWindow {

    private final long[] samples;
    private int count;
    private int next;

    LatencyWindow(int size) {
        samples = new long[size];
    }

    void add(long nanos) {
        samples[next] = nanos;
        // a compare, not a remainder: an integer division costs more than the rest of this method
        next = next + 1 == samples.length ? 0 : next + 1;
        count = Math.min(count + 1, samples.length);
    }

    /** The median of the samples in nanoseconds, or 0 when there are none. */
    long median() {
        if (count == 0) {
            return 0;
        }
        // sorting 64 longs happens only when a drop is about to cut the limit, not on every call
        long[] sorted = Arrays.copyOf(samples, count);
        Arrays.sort(sorted);
        return sorted[count / 2];
    }
}
