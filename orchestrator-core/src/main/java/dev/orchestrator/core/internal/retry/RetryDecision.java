package dev.orchestrator.core.internal.retry;

import dev.orchestrator.api.LlmException;
import java.time.Duration;
import java.util.Objects;

/** What to do after a failed attempt. */
public sealed interface RetryDecision {

    /** Send the same request again after {@code delay}, through the limiter. */
    record Retry(Duration delay) implements RetryDecision {
        /** Checks the delay. */
        public Retry {
            Objects.requireNonNull(delay, "delay");
        }
    }

    /**
     * The provider asked the call to come back after {@code delay}: send it again once the pause the limiter set for
     * it ends. Not an attempt, not a retry of the budget.
     */
    record Wait(Duration delay) implements RetryDecision {
        /** Checks the delay. */
        public Wait {
            Objects.requireNonNull(delay, "delay");
        }
    }

    /** Shorten the request and send it again. */
    record Compact() implements RetryDecision {
    }

    /** Fail the call with {@code error}, whose message says why and what to do. */
    record GiveUp(LlmException error) implements RetryDecision {
        /** Checks the error. */
        public GiveUp {
            Objects.requireNonNull(error, "error");
        }
    }
}
