package dev.orchestrator.core.internal.limit;

/** Why admissions were paused, or why a caller waits although a call slot is free. */
public enum PauseCause {
    /** The provider answered with a {@code Retry-After}. */
    RETRY_AFTER,
    /** The provider's {@code x-ratelimit-remaining-*} headers said its quota is nearly used up. */
    QUOTA_NEARLY_USED,
    /** A pause carried over from a journaled state. */
    RESTORED,
    /** The pacer spaces sends so as not to overrun the provider's request rate. */
    PACED_REQUESTS,
    /** The pacer spaces sends so as not to overrun the provider's token rate. */
    PACED_TOKENS;

    /** Whether the pacer, not a pause, makes callers wait: a wait that comes back with every send. */
    public boolean isPacing() {
        return this == PACED_REQUESTS || this == PACED_TOKENS;
    }
}
