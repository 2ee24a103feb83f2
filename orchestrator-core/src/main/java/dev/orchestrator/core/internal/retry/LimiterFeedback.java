package dev.orchestrator.core.internal.retry;

import dev.orchestrator.api.LlmException;
import dev.orchestrator.api.RateLimits;
import dev.orchestrator.core.internal.limit.DropCause;
import dev.orchestrator.core.internal.limit.Permit;
import java.net.http.HttpTimeoutException;
import java.util.Optional;
import java.util.concurrent.TimeoutException;

/**
 * Tells the limiter what a failed call says about the provider's capacity: 429, 529/503 and timeouts are drops;
 * other failures (a bad request, a context-length refusal, a 500) say nothing about capacity and are ignored.
 */
public final class LimiterFeedback {

    private LimiterFeedback() {
    }

    /** Releases {@code permit} as the failure {@code failure} warrants. */
    public static void release(Permit permit, LlmException failure) {
        switch (failure) {
            case LlmException.RateLimited limited ->
                    permit.dropped(DropCause.RATE_LIMITED, limited.retryAfter(), limited.rateLimits());
            case LlmException.Overloaded overloaded ->
                    permit.dropped(DropCause.OVERLOADED, overloaded.retryAfter(), RateLimits.UNKNOWN);
            case LlmException.Transient timeout when isDeadlineMiss(timeout) ->
                    permit.dropped(DropCause.DEADLINE_MISSED, Optional.empty(), RateLimits.UNKNOWN);
            default -> permit.ignored();
        }
    }

    /** A 408, a 504, or no answer at all because a timeout fired. */
    static boolean isDeadlineMiss(LlmException.Transient failure) {
        return failure.status() == 408 || failure.status() == 504
                || failure.status() == 0 && (failure.getCause() instanceof HttpTimeoutException
                        || failure.getCause() instanceof java.net.SocketTimeoutException
                        || failure.getCause() instanceof TimeoutException);
    }
}
