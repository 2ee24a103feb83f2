package dev.orchestrator.core.llm;

import java.time.Duration;
import java.util.Optional;

/**
 * A server's request bucket on its own clock, as a provider enforces a quota: it refills {@code ratePerSecond}
 * requests a second and holds at most {@code burst}.
 */
final class TokenBucket {

    private final double ratePerSecond;
    private final int burst;
    private double tokens;
    private long refilledAt = System.nanoTime();

    TokenBucket(double ratePerSecond, int burst) {
        this.ratePerSecond = ratePerSecond;
        this.burst = burst;
        this.tokens = burst;
    }

    /** Takes one request's token; if there is none, how long until there is one. */
    synchronized Optional<Duration> take() {
        long now = System.nanoTime();
        tokens = Math.min(burst, tokens + (now - refilledAt) / 1e9 * ratePerSecond);
        refilledAt = now;
        if (tokens < 1) {
            return Optional.of(Duration.ofNanos((long) ((1 - tokens) / ratePerSecond * 1e9)));
        }
        tokens--;
        return Optional.empty();
    }

    /** {@code wait} as a {@code retry-after} in whole seconds, rounded up, as most providers say it. */
    static String retryAfterSeconds(Duration wait) {
        return Long.toString(Math.max(1, (wait.toMillis() + 999) / 1000));
    }
}
