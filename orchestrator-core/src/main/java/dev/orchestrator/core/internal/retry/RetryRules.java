package dev.orchestrator.core.internal.retry;

import dev.orchestrator.api.LlmException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Objects;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Decides, after each failed attempt, whether to retry, compact or give up. Holds the {@link RetryBudget}, so the
 * callers that share one of these share one budget. Thread-safe.
 */
public final class RetryRules {

    private final RetryPolicy policy;
    private final RetryBudget budget;
    private final RandomGenerator random;

    /** Rules for {@code policy}; {@code random} draws the backoff jitter and is used under a lock. */
    public RetryRules(RetryPolicy policy, InstantSource clock, RandomGenerator random) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.budget = new RetryBudget(policy.budgetRatio(), policy.minRetriesPerWindow(), policy.budgetWindow(),
                clock);
        this.random = Objects.requireNonNull(random, "random");
    }

    /** The policy these rules follow. */
    public RetryPolicy policy() {
        return policy;
    }

    /** Counts a new call against the retry budget; call once per call, not per attempt. */
    public void recordCall() {
        budget.recordRequest();
    }

    /**
     * What to do after attempt {@code attempt} (from 1) of a call to {@code target} failed with {@code failure};
     * {@code compacted} says whether the call was already shortened once.
     */
    public RetryDecision decide(LlmException failure, int attempt, boolean compacted, String target) {
        return switch (failure) {
            // waiting will not fix these; the provider's message says what will
            case LlmException.QuotaExhausted fatal -> new RetryDecision.GiveUp(fatal);
            case LlmException.AuthenticationFailed fatal -> new RetryDecision.GiveUp(fatal);
            case LlmException.InvalidRequest fatal -> new RetryDecision.GiveUp(fatal);
            case LlmException.ContextLengthExceeded tooLong -> compacted
                    ? new RetryDecision.GiveUp(withMessage(tooLong, target + ": the request was still too long"
                            + " for the model's context window after compaction (" + tooLong.getMessage()
                            + "); give the task less context or use a model with a larger window"))
                    : new RetryDecision.Compact();
            case LlmException.RateLimited limited -> transientFailure(limited, limited.retryAfter(), attempt, target);
            case LlmException.Overloaded overloaded ->
                    transientFailure(overloaded, overloaded.retryAfter(), attempt, target);
            case LlmException.Transient other -> transientFailure(other, Optional.empty(), attempt, target);
        };
    }

    private RetryDecision transientFailure(LlmException failure, Optional<Duration> retryAfter, int attempt,
            String target) {
        if (retryAfter.isPresent() && retryAfter.get().compareTo(policy.maxRetryAfter()) > 0) {
            return new RetryDecision.GiveUp(withMessage(failure, target + " asked to retry after "
                    + retryAfter.get().toSeconds() + " s, longer than the " + policy.maxRetryAfter().toSeconds()
                    + " s this SDK waits (RetryPolicy.maxRetryAfter); the quota is likely used up for now: resume"
                    + " the mission later, or raise the cap (" + failure.getMessage() + ")"));
        }
        if (attempt >= policy.maxAttempts()) {
            return new RetryDecision.GiveUp(withMessage(failure, target + " failed " + attempt
                    + " attempts in a row, the last with: " + failure.getMessage()
                    + "; check the provider's status, or raise RetryPolicy.maxAttempts"));
        }
        if (!budget.tryRetry()) {
            return new RetryDecision.GiveUp(withMessage(failure, target + ": not retried because retries already"
                    + " make up " + Math.round(policy.budgetRatio() * 100) + " % of the calls of the last "
                    + policy.budgetWindow().toSeconds() + " s (the retry budget); the provider is failing most"
                    + " calls: " + failure.getMessage()));
        }
        // a retry-after of 0 says nothing useful about when to come back, so it backs off like no retry-after
        return new RetryDecision.Retry(retryAfter.filter(Duration::isPositive).orElseGet(() -> backoff(attempt)));
    }

    /** Full jitter: uniform in [0, min(maxDelay, baseDelay · 2^(attempt-1))). */
    private Duration backoff(int attempt) {
        long ceiling = policy.baseDelay().toNanos() << Math.min(attempt - 1, 30);
        if (ceiling <= 0 || ceiling > policy.maxDelay().toNanos()) {
            ceiling = policy.maxDelay().toNanos();
        }
        synchronized (random) {
            return Duration.ofNanos(random.nextLong(ceiling));
        }
    }

    /** The same kind of failure with a message that says what happened and what to do; the original is kept. */
    static LlmException withMessage(LlmException failure, String message) {
        LlmException explained = switch (failure) {
            case LlmException.RateLimited f -> new LlmException.RateLimited(message, f.retryAfter(), f.rateLimits());
            case LlmException.Overloaded f -> new LlmException.Overloaded(message, f.status(), f.retryAfter());
            case LlmException.Transient f -> new LlmException.Transient(message, f.status(), f.getCause());
            case LlmException.ContextLengthExceeded f -> new LlmException.ContextLengthExceeded(message, f.status());
            case LlmException.AuthenticationFailed f -> new LlmException.AuthenticationFailed(message, f.status());
            case LlmException.QuotaExhausted f -> new LlmException.QuotaExhausted(message, f.status());
            case LlmException.InvalidRequest f -> new LlmException.InvalidRequest(message, f.status());
        };
        explained.addSuppressed(failure);
        return explained;
    }
}
