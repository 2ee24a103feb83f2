package dev.orchestrator.core.internal.retry;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/**
 * Caps retries at a fraction of the requests of the last window, so that when a provider fails every call the
 * retries cannot multiply the load on it. Counts in ten buckets that slide with the clock. Thread-safe.
 */
public final class RetryBudget {

    private static final int BUCKETS = 10;

    private final double ratio;
    private final int minRetries;
    private final long bucketNanos;
    private final InstantSource clock;
    private final long[] requests = new long[BUCKETS];
    private final long[] retries = new long[BUCKETS];
    private long currentBucket;

    /** A budget of {@code ratio} retries per request over {@code window}, and at least {@code minRetries}. */
    public RetryBudget(double ratio, int minRetries, Duration window, InstantSource clock) {
        this.ratio = ratio;
        this.minRetries = minRetries;
        this.bucketNanos = Math.max(1, window.toNanos() / BUCKETS);
        this.clock = clock;
    }

    /** Counts a new call (not a retry). */
    public synchronized void recordRequest() {
        requests[slide()]++;
    }

    /** Counts a retry and returns true if the budget allows one; returns false and counts nothing otherwise. */
    public synchronized boolean tryRetry() {
        int bucket = slide();
        long requestSum = 0;
        long retrySum = 0;
        for (int i = 0; i < BUCKETS; i++) {
            requestSum += requests[i];
            retrySum += retries[i];
        }
        if (retrySum >= Math.max(minRetries, ratio * requestSum)) {
            return false;
        }
        retries[bucket]++;
        return true;
    }

    /** Clears the buckets the clock has moved past and returns the index of the current one. */
    private int slide() {
        Instant instant = clock.instant();
        long now = instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
        long bucket = Math.floorDiv(now, bucketNanos);
        for (long b = Math.max(currentBucket + 1, bucket - BUCKETS + 1); b <= bucket; b++) {
            int i = Math.floorMod(b, BUCKETS);
            requests[i] = 0;
            retries[i] = 0;
        }
        currentBucket = Math.max(currentBucket, bucket);
        return Math.floorMod(currentBucket, BUCKETS);
    }
}
