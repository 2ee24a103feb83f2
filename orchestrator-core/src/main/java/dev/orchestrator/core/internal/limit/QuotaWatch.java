package dev.orchestrator.core.internal.limit;

import dev.orchestrator.api.RateLimits;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Reads the providers' quota headers and says how long to pause before the quota runs out. Not thread-safe:
 * {@link AimdLimiter} guards it with its lock.
 */
final class QuotaWatch {

    private final LimiterSettings settings;
    private long mostRequestsSeen;
    private long mostTokensSeen;

    QuotaWatch(LimiterSettings settings) {
        this.settings = settings;
    }

    /** The pause {@code rateLimits} call for, in nanoseconds; 0 for none. */
    long pauseNanos(RateLimits rateLimits) {
        rateLimits.remainingRequests().ifPresent(left -> mostRequestsSeen = Math.max(mostRequestsSeen, left));
        rateLimits.remainingTokens().ifPresent(left -> mostTokensSeen = Math.max(mostTokensSeen, left));
        return Math.max(
                pauseNanos(rateLimits.remainingRequests(), settings.reserveRequests(), mostRequestsSeen,
                        rateLimits.requestsReset()),
                pauseNanos(rateLimits.remainingTokens(), settings.reserveTokens(), mostTokensSeen,
                        rateLimits.tokensReset()));
    }

    /**
     * The reset the providers report is the time until the whole quota is back (a minute, for a per-minute
     * quota), so pausing for all of it would idle most of a minute; the pause lasts until one unit more than the
     * reserve is back, at the refill rate implied by the largest remaining count seen (about the quota's size).
     */
    private static long pauseNanos(OptionalLong remaining, long reserve, long mostSeen, Optional<Duration> reset) {
        if (remaining.isEmpty() || remaining.getAsLong() > reserve || reset.isEmpty() || !reset.get().isPositive()) {
            return 0;
        }
        long left = remaining.getAsLong();
        double share = mostSeen > left ? Math.min(1, (double) (reserve + 1 - left) / (mostSeen - left)) : 1;
        return (long) (reset.get().toNanos() * share);
    }
}
