package dev.orchestrator.benchmarks.limit;

import java.time.Duration;

/** A quota that refills continuously at a rate per minute up to a burst, as the LLM providers describe theirs. */
final class TokenBucket {

    private final double burstSeconds;
    private double perSecond;
    private double capacity;
    private double level;
    private double updatedAt;

    TokenBucket(double perMinute, double burstSeconds) {
        this.burstSeconds = burstSeconds;
        this.perSecond = perMinute / 60;
        this.capacity = perSecond * burstSeconds;
        this.level = capacity;
    }

    /** Changes the rate (a provider's capacity changing) from {@code now} on. */
    void setPerMinute(double perMinute, double now) {
        refill(now);
        perSecond = perMinute / 60;
        capacity = perSecond * burstSeconds;
        level = Math.min(level, capacity);
    }

    void refill(double now) {
        level = Math.min(capacity, level + (now - updatedAt) * perSecond);
        updatedAt = now;
    }

    boolean has(double amount) {
        return level >= amount;
    }

    /** Takes {@code amount}; the level may go below zero down to minus the burst (rejections that count). */
    void take(double amount) {
        level = Math.max(-capacity, level - amount);
    }

    /** Seconds until {@code amount} is available. */
    double secondsUntil(double amount) {
        return level >= amount ? 0 : (amount - level) / perSecond;
    }

    long remaining() {
        return (long) Math.max(0, level);
    }

    /** Time until the bucket is full again: what {@code x-ratelimit-reset-*} reports. */
    Duration untilFull() {
        return Duration.ofNanos((long) ((capacity - level) / perSecond * 1e9));
    }
}
