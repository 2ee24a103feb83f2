package dev.orchestrator.core.internal.retry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How persistently a call is retried. Build with {@link #builder()}.
 *
 * @param maxAttempts the most attempts of one call, the first included
 * @param baseDelay the backoff before the first retry, doubled for each retry after it (then full jitter)
 * @param maxDelay the longest backoff
 * @param maxRetryAfter the longest retry-after the SDK waits for; a longer one fails the call
 * @param budgetRatio retries may be at most this fraction of the requests in the budget window ...
 * @param minRetriesPerWindow ... or this many, whichever is more, so that a quiet caller can still retry
 * @param budgetWindow the window the budget counts over
 * @param admissionTimeout the longest a call waits for a permit from the limiter
 */
public record RetryPolicy(int maxAttempts, Duration baseDelay, Duration maxDelay, Duration maxRetryAfter,
        double budgetRatio, int minRetriesPerWindow, Duration budgetWindow, Duration admissionTimeout) {

    private static final RetryPolicy DEFAULTS = builder().build();

    /** Checks every setting at once and names each one that is out of range. */
    public RetryPolicy {
        List<String> problems = new ArrayList<>();
        if (maxAttempts < 1) {
            problems.add("maxAttempts must be at least 1, was " + maxAttempts);
        }
        if (!baseDelay.isPositive() || maxDelay.compareTo(baseDelay) < 0) {
            problems.add("baseDelay must be positive and maxDelay at least baseDelay, were " + baseDelay + " and "
                    + maxDelay);
        }
        if (maxRetryAfter.isNegative()) {
            problems.add("maxRetryAfter must not be negative, was " + maxRetryAfter);
        }
        if (!(budgetRatio >= 0) || minRetriesPerWindow < 0 || !budgetWindow.isPositive()) {
            problems.add("budgetRatio and minRetriesPerWindow must not be negative and budgetWindow must be"
                    + " positive, were " + budgetRatio + ", " + minRetriesPerWindow + " and " + budgetWindow);
        }
        if (!admissionTimeout.isPositive()) {
            problems.add("admissionTimeout must be positive, was " + admissionTimeout);
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid retry policy: " + String.join("; ", problems));
        }
    }

    /**
     * The defaults: 6 attempts, backoff from 1 s up to 30 s, retry-after honoured up to 120 s, retries at most
     * 20 % of requests (or 10) per minute, up to 10 minutes waiting for a permit.
     */
    public static RetryPolicy defaults() {
        return DEFAULTS;
    }

    /** A builder that starts from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link RetryPolicy}. */
    public static final class Builder {
        private int maxAttempts = 6;
        private Duration baseDelay = Duration.ofSeconds(1);
        private Duration maxDelay = Duration.ofSeconds(30);
        private Duration maxRetryAfter = Duration.ofSeconds(120);
        private double budgetRatio = 0.2;
        private int minRetriesPerWindow = 10;
        private Duration budgetWindow = Duration.ofMinutes(1);
        private Duration admissionTimeout = Duration.ofMinutes(10);

        private Builder() {
        }

        /** See {@link RetryPolicy#maxAttempts()}. */
        public Builder maxAttempts(int maxAttempts) {
            this.maxAttempts = maxAttempts;
            return this;
        }

        /** See {@link RetryPolicy#baseDelay()} and {@link RetryPolicy#maxDelay()}. */
        public Builder backoff(Duration baseDelay, Duration maxDelay) {
            this.baseDelay = baseDelay;
            this.maxDelay = maxDelay;
            return this;
        }

        /** See {@link RetryPolicy#maxRetryAfter()}. */
        public Builder maxRetryAfter(Duration maxRetryAfter) {
            this.maxRetryAfter = maxRetryAfter;
            return this;
        }

        /** See {@link RetryPolicy#budgetRatio()}, {@link RetryPolicy#minRetriesPerWindow()}, {@link RetryPolicy#budgetWindow()}. */
        public Builder budget(double budgetRatio, int minRetriesPerWindow, Duration budgetWindow) {
            this.budgetRatio = budgetRatio;
            this.minRetriesPerWindow = minRetriesPerWindow;
            this.budgetWindow = budgetWindow;
            return this;
        }

        /** See {@link RetryPolicy#admissionTimeout()}. */
        public Builder admissionTimeout(Duration admissionTimeout) {
            this.admissionTimeout = admissionTimeout;
            return this;
        }

        /** The policy; throws if any setting is out of range, naming all that are. */
        public RetryPolicy build() {
            return new RetryPolicy(maxAttempts, baseDelay, maxDelay, maxRetryAfter, budgetRatio,
                    minRetriesPerWindow, budgetWindow, admissionTimeout);
        }
    }
}
