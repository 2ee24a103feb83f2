package dev.orchestrator.core.internal.limit;

import dev.orchestrator.api.RateLimits;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The right to send one call. Release it exactly once, with what happened to the call: that is how the limiter
 * learns the provider's capacity.
 */
public final class Permit {

    private final AimdLimiter limiter;
    private final Priority priority;
    private final long grantedAtNanos;
    private final AtomicBoolean released = new AtomicBoolean();

    Permit(AimdLimiter limiter, Priority priority, long grantedAtNanos) {
        this.limiter = limiter;
        this.priority = priority;
        this.grantedAtNanos = grantedAtNanos;
    }

    /** The call succeeded; {@code rateLimits} are the quota headers of its response, if it had any. */
    public void success(RateLimits rateLimits) {
        markReleased();
        limiter.succeeded(this, rateLimits);
    }

    /** The provider refused or timed out the call because it is at capacity; the limit is cut. */
    public void dropped(DropCause cause, Optional<Duration> retryAfter, RateLimits rateLimits) {
        markReleased();
        limiter.dropped(this, cause, retryAfter, rateLimits);
    }

    /** The call failed for a reason that says nothing about capacity (a bad request, an error of ours). */
    public void ignored() {
        markReleased();
        limiter.ignored(this);
    }

    Priority priority() {
        return priority;
    }

    long grantedAtNanos() {
        return grantedAtNanos;
    }

    private void markReleased() {
        if (!released.compareAndSet(false, true)) {
            throw new IllegalStateException("this permit was already released: release each permit exactly once");
        }
    }
}
