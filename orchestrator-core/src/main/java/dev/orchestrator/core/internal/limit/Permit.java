package dev.orchestrator.core.internal.limit;

import dev.orchestrator.api.RateLimits;
import java.time.Duration;
import java.util.Optional;

/**
 * The right to send one call. Call {@link #startSend()} just before sending, then release the permit exactly once
 * with what happened to the call: that is how the limiter learns the provider's capacity.
 */
public final class Permit {

    static final long NOT_SENT = Long.MIN_VALUE;

    private final AimdLimiter limiter;
    private final Priority priority;
    private final long tokens;
    private final long grantedAtNanos;
    // guarded by the limiter's lock, which every method that touches them holds: plain fields, because a volatile
    // write is a full fence and these were three of them per call, and a compare-and-set a fourth
    private boolean released;
    private long sendStartedAt = NOT_SENT;
    private long sendNumber;

    Permit(AimdLimiter limiter, Priority priority, long tokens, long grantedAtNanos) {
        this.limiter = limiter;
        this.priority = priority;
        this.tokens = tokens;
        this.grantedAtNanos = grantedAtNanos;
    }

    /**
     * Whether the call may go out now. False when a response announced a pause after this permit was granted:
     * then release it with {@link #ignored()} (nothing was sent, so nothing is learned) and acquire again.
     */
    public boolean startSend() {
        return limiter.startSend(this);
    }

    /** The call succeeded; {@code rateLimits} are the quota headers of its response, if it had any. */
    public void success(RateLimits rateLimits) {
        success(rateLimits, -1);
    }

    /**
     * The call succeeded and used {@code tokensUsed} tokens (input and output, as the response's usage says; -1 if
     * it did not say), which correct the estimate the permit was acquired with.
     */
    public void success(RateLimits rateLimits, long tokensUsed) {
        limiter.succeeded(this, rateLimits, tokensUsed);
    }

    /** The provider refused or timed out the call because it is at capacity; the limit is cut. */
    public void dropped(DropCause cause, Optional<Duration> retryAfter, RateLimits rateLimits) {
        limiter.dropped(this, cause, retryAfter, rateLimits);
    }

    /**
     * The call failed for a reason that says nothing about capacity (a bad request, an error of ours), or was never
     * sent.
     */
    public void ignored() {
        limiter.ignored(this);
    }

    Priority priority() {
        return priority;
    }

    long grantedAtNanos() {
        return grantedAtNanos;
    }

    long tokens() {
        return tokens;
    }

    long sendStartedAt() {
        return sendStartedAt;
    }

    /** Which send of its limiter this was, from 1. */
    long sendNumber() {
        return sendNumber;
    }

    void markSent(long now, long number) {
        sendStartedAt = now;
        sendNumber = number;
    }

    /** Called under the limiter's lock, before the release changes anything. */
    void markReleased() {
        if (released) {
            throw new IllegalStateException("this permit was already released: release each permit exactly once");
        }
        released = true;
    }
}
