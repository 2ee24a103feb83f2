package dev.orchestrator.benchmarks.limit;

import dev.orchestrator.api.LlmException;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.random.RandomGenerator;

/**
 * The retries the official OpenAI and Anthropic SDKs make by default: 2 retries of a retryable failure after
 * 0.5 s · 2^n (at most 8 s, minus up to 25 % jitter), or after the retry-after when it is between 0 and 60 s.
 * Each client retries on its own, with no limiter to tell.
 */
final class SdkRetry {

    private static final int MAX_RETRIES = 2;

    private SdkRetry() {
    }

    /** Seconds to wait before the next attempt, or empty to give up, after {@code attempts} attempts. */
    static OptionalDouble delay(LlmException failure, int attempts, RandomGenerator random) {
        if (!failure.isRetryable() || attempts > MAX_RETRIES) {
            return OptionalDouble.empty();
        }
        Optional<Duration> retryAfter = switch (failure) {
            case LlmException.RateLimited limited -> limited.retryAfter();
            case LlmException.Overloaded overloaded -> overloaded.retryAfter();
            default -> Optional.empty();
        };
        if (retryAfter.isPresent() && retryAfter.get().isPositive()
                && retryAfter.get().compareTo(Duration.ofSeconds(60)) <= 0) {
            return OptionalDouble.of(retryAfter.get().toMillis() / 1000.0);
        }
        return OptionalDouble.of(Math.min(0.5 * Math.pow(2, attempts - 1), 8) * (1 - 0.25 * random.nextDouble()));
    }
}
