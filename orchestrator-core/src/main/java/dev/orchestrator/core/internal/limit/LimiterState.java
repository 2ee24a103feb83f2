package dev.orchestrator.core.internal.limit;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A limiter at one moment. {@code limit} and {@code pausedUntil} are what the engine journals so that a resumed
 * mission starts where it stopped (see {@link AimdLimiter#restore}); the counts are for progress displays.
 *
 * @param limit the current limit L; the number of calls admitted at once is its integer part
 * @param pausedUntil when admissions resume, if they are paused
 * @param inFlight calls admitted and not finished
 * @param waiting callers queued for a permit
 */
public record LimiterState(double limit, Optional<Instant> pausedUntil, int inFlight, int waiting) {

    /** Checks the fields. */
    public LimiterState {
        Objects.requireNonNull(pausedUntil, "pausedUntil");
    }
}
