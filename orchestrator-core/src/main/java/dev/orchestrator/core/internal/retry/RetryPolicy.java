package dev.orchestrator.core.internal.retry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How persistently a call is retried. Build with {@link #builder()}.
 *
 * <p>Two kinds of failure are told apart. A 429 or 529/503 that says when to come back (a retry-after or a reset
 * header) is a provider that is not failing but busy: the call waits as told and goes again, as often as it takes,
 * for as long as its {@link #patience()} lasts; such waits are neither attempts nor retries of the budget. Every
 * other transient failure (a 5xx without a wait, a timeout, a broken connection) is an attempt, retried with backoff
 * up to {@link #maxAttempts()} and within the retry budget, which stops retries from multiplying the load on a
 * failing server.
 *
 * @param maxAttempts the most attempts of one call, the first included; waits the server asked for do not count
 * @param baseDelay the backoff before the first retry, doubled for each retry after it (then full jitter)
 * @param maxDelay the longest backoff
 * @param patience the most one call waits in all, for permits, for pauses the provider asked for and for backoffs;
 *     a retry-after longer than what is left of it ends the call
 * @param budgetRatio retries may be at most this fraction of the requests in the budget window ...
 * @param minRetriesPerWindow ... or this many, whichever is more, so that a quiet caller can still retry
 * @param budgetWindow the window the budget counts over
 * @param maxCallTime the most time one call spends sending, over all its attempts (waits not counted); no attempt
 *     starts after it is used up. Each attempt is bounded on its own by the provider's connect and request
 *     timeouts and its stream idle timeout
 */
public record RetryPolicy(int maxAttempts, Duration baseDelay, Duration maxDelay, Duration patience,
        double budgetRatio, int minRetriesPerWindow, Duration budgetWindow, Duration maxCallTime) {

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
        if (!patience.isPositive()) {
            problems.add("patience must be positive, was " + patience);
        }
        if (!(budgetRatio >= 0) || minRetriesPerWindow < 0 || !budgetWindow.isPositive()) {
            problems.add("budgetRatio and minRetriesPerWindow must not be negative and budgetWindow must be"
                    + " positive, were " + budgetRatio + ", " + minRetriesPerWindow + " and " + budgetWindow);
        }
        if (!maxCallTime.isPositive()) {
            problems.add("maxCallTime must be positive, was " + maxCallTime);
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid retry policy: " + String.join("; ", problems));
        }
    }

    /**
     * The defaults: 6 attempts, backoff from 1 s up to 30 s, 15 minutes of patience, retries at most 20 % of
     * requests (or 10) per minute, 20 minutes of sending per call.
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
        private Duration patience = Duration.ofMinutes(15);
        private double budgetRatio = 0.2;
        private int minRetriesPerWindow = 10;
        private Duration budgetWindow = Duration.ofMinutes(1);
        private Duration maxCallTime = Duration.ofMinutes(20);

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

        /** See {@link RetryPolicy#patience()}. */
        public Builder patience(Duration patience) {
            this.patience = patience;
            return this;
        }

        /** See {@link RetryPolicy#budgetRatio()}, {@link RetryPolicy#minRetriesPerWindow()}, {@link RetryPolicy#budgetWindow()}. */
        public Builder budget(double budgetRatio, int minRetriesPerWindow, Duration budgetWindow) {
            this.budgetRatio = budgetRatio;
            this.minRetriesPerWindow = minRetriesPerWindow;
            this.budgetWindow = budgetWindow;
            return this;
        }

        /** See {@link RetryPolicy#maxCallTime()}. */
        public Builder maxCallTime(Duration maxCallTime) {
            this.maxCallTime = maxCallTime;
            return this;
        }

        /** The policy; throws if any setting is out of range, naming all that are. */
        public RetryPolicy build() {
            return new RetryPolicy(maxAttempts, baseDelay, maxDelay, patience, budgetRatio, minRetriesPerWindow,
                    budgetWindow, maxCallTime);
        }
    }
}
