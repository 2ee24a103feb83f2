package dev.orchestrator.core.internal.limit;

/**
 * The arithmetic of the limit L: additive increase while the limit is in use, multiplicative decrease at most once
 * per window. Not thread-safe: {@link AimdLimiter} guards it with its lock.
 */
final class AimdLimit {

    private static final int LATENCY_SAMPLES = 64;

    private final LimiterSettings settings;
    private final LatencyWindow latencies = new LatencyWindow(LATENCY_SAMPLES);
    private double value;
    private long nextCutAllowed = Long.MIN_VALUE;

    AimdLimit(LimiterSettings settings) {
        this.settings = settings;
        this.value = settings.initialLimit();
    }

    double value() {
        return value;
    }

    /** Continues from a journaled value, kept within the bounds. */
    void restore(double journaled) {
        value = Math.clamp(journaled, settings.minLimit(), settings.maxLimit());
    }

    /** A call that took {@code latencyNanos} succeeded while {@code inFlight} calls, itself included, were out. */
    void onSuccess(long latencyNanos, int inFlight) {
        latencies.add(latencyNanos);
        // grow only when the limit is in use: a success at 3 in flight says nothing about whether 40 would do
        if (inFlight >= value / 2) {
            value = Math.min(settings.maxLimit(), value + 1 / value);
        }
    }

    /**
     * A call was dropped at {@code now}; returns whether L was cut. After a cut, further drops are ignored for a
     * window, the larger of the median latency and the retry-after: the calls in flight when the first drop came
     * back were sent under the old limit and say nothing about the new one.
     */
    boolean onDrop(long now, long retryAfterNanos) {
        if (now < nextCutAllowed) {
            return false;
        }
        value = Math.max(settings.minLimit(), settings.backoffRatio() * value);
        long window = Math.max(Math.max(latencies.median(), retryAfterNanos), settings.minCutWindow().toNanos());
        nextCutAllowed = now + window;
        return true;
    }
}
