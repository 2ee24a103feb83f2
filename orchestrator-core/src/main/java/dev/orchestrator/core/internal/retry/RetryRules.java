package dev.orchestrator.core.internal.retry;

import dev.orchestrator.api.LlmException;
import dev.orchestrator.core.internal.log.Durations;
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

    /** What a call has been through so far: its attempts, whether it was shortened, its time waiting and sending. */
    public record SoFar(int attempts, boolean compacted, Duration waited, Duration sending) {
        /** Checks the durations. */
        public SoFar {
            Objects.requireNonNull(waited, "waited");
            Objects.requireNonNull(sending, "sending");
        }
    }

    /** What to do after the last attempt of a call to {@code target}, which has been through {@code soFar}, failed. */
    public RetryDecision decide(LlmException failure, SoFar soFar, String target) {
        return switch (failure) {
            // waiting will not fix these; the provider's message says what will
            case LlmException.QuotaExhausted fatal -> new RetryDecision.GiveUp(fatal);
            case LlmException.AuthenticationFailed fatal -> new RetryDecision.GiveUp(fatal);
            case LlmException.InvalidRequest fatal -> new RetryDecision.GiveUp(fatal);
            case LlmException.Unreachable fatal -> new RetryDecision.GiveUp(fatal);
            case LlmException.PatienceExhausted fatal -> new RetryDecision.GiveUp(fatal);
            case LlmException.ContextLengthExceeded tooLong -> soFar.compacted()
                    ? new RetryDecision.GiveUp(tooLong.withMessage(target + ": the request was still too long"
                            + " for the model's context window after compaction (" + tooLong.getMessage()
                            + "); give the task less context or use a model with a larger window"))
                    : new RetryDecision.Compact();
            case LlmException.RateLimited limited -> transientFailure(limited, limited.retryAfter(), soFar, target);
            case LlmException.Overloaded overloaded ->
                    transientFailure(overloaded, overloaded.retryAfter(), soFar, target);
            case LlmException.Transient other -> transientFailure(other, Optional.empty(), soFar, target);
        };
    }

    private RetryDecision transientFailure(LlmException failure, Optional<Duration> retryAfter, SoFar soFar,
            String target) {
        Duration patienceLeft = policy.patience().minus(soFar.waited());
        // a retry-after of 0 says nothing useful about when to come back, so it backs off like no retry-after
        if (retryAfter.isPresent() && retryAfter.get().isPositive()) {
            Duration wait = retryAfter.get();
            if (wait.compareTo(patienceLeft) > 0) {
                return new RetryDecision.GiveUp(outOfPatience(failure, target + " asked to wait "
                        + Durations.words(wait) + " before the next try, more than the " + Durations.words(patienceLeft)
                        + " left of this call's patience of " + Durations.words(policy.patience())
                        + "; the quota is likely used up for now: resume the mission later, or raise the patience"
                        + " (Mission.Builder.callPatience(...)) (" + failure.getMessage() + ")"));
            }
            // the server is not failing, it is busy and said when to come back: not an attempt, not a retry
            return new RetryDecision.Wait(wait);
        }
        if (soFar.sending().compareTo(policy.maxCallTime()) >= 0) {
            return new RetryDecision.GiveUp(failure.withMessage(target + " did not answer: " + soFar.attempts()
                    + " attempts took " + Durations.words(soFar.sending()) + " in all, the most one call may spend"
                    + " sending (" + Durations.words(policy.maxCallTime()) + " over all its attempts); the last"
                    + " failed with: " + failure.getMessage() + "; check that the server is up and answering"));
        }
        if (soFar.attempts() >= policy.maxAttempts()) {
            return new RetryDecision.GiveUp(failure.withMessage(target + " failed " + soFar.attempts()
                    + " attempts in a row, the last with: " + failure.getMessage()
                    + "; check the provider's status (a call makes at most " + policy.maxAttempts()
                    + " attempts when the server does not say when to come back)"));
        }
        if (!budget.tryRetry()) {
            return new RetryDecision.GiveUp(failure.withMessage(target + ": not retried because retries already"
                    + " make up " + Math.round(policy.budgetRatio() * 100) + " % of the calls of the last "
                    + policy.budgetWindow().toSeconds() + " s (the retry budget); the provider is failing most"
                    + " calls: " + failure.getMessage()));
        }
        Duration backoff = backoff(soFar.attempts());
        if (backoff.compareTo(patienceLeft) > 0) {
            return new RetryDecision.GiveUp(outOfPatience(failure, target + " failed " + soFar.attempts()
                    + " times and this call's patience of " + Durations.words(policy.patience())
                    + " is used up; the last failure: " + failure.getMessage()
                    + "; raise the patience (Mission.Builder.callPatience(...)) or check the provider's status"));
        }
        return new RetryDecision.Retry(backoff);
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

    /** The end of a call that waited as long as its patience allows; {@code failure} is kept as suppressed. */
    private static LlmException outOfPatience(LlmException failure, String message) {
        LlmException exhausted = new LlmException.PatienceExhausted(message, failure.status());
        exhausted.addSuppressed(failure);
        return exhausted;
    }
}
