package dev.orchestrator.core.internal.limit;

/** Why a call counted as a drop: each is a sign that the provider is at its capacity. */
public enum DropCause {
    /** HTTP 429. */
    RATE_LIMITED,
    /** HTTP 529 or 503. */
    OVERLOADED,
    /** The call timed out. */
    DEADLINE_MISSED
}
