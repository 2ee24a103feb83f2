package dev.orchestrator.core.internal.limit;

/** Why admissions were paused. */
public enum PauseCause {
    /** The provider answered with a {@code Retry-After}. */
    RETRY_AFTER,
    /** The provider's {@code x-ratelimit-remaining-*} headers said its quota is nearly used up. */
    QUOTA_NEARLY_USED,
    /** A pause carried over from a journaled state. */
    RESTORED
}
