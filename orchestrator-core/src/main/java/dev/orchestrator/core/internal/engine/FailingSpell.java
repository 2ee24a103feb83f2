package dev.orchestrator.core.internal.engine;

import dev.orchestrator.api.LlmException;
import dev.orchestrator.core.internal.log.Durations;
import java.time.Duration;
import java.util.Optional;

/**
 * One task's passing failures in a row, and how long it waits after each before it is tried again: twice as long
 * each time, from {@link #FIRST} up to {@link #LONGEST}, or as long as the provider asked if that is longer, so a
 * provider that is down is asked again at a bounded rate rather than in a spin. But not for ever: once the next try
 * would come more than the call patience after the spell's first failure, the task gives up, so that a provider that
 * is down, or a URL that reaches something other than a model, ends the mission with the last error instead of
 * keeping it waiting with nobody told. The embedded engine keeps a spell for each task it put back
 * ({@link Deferrals}), a Temporal workflow one for each task it tries again, on workflow time: the same rule.
 */
public final class FailingSpell {

    /** The wait after a task's first passing failure in a row. */
    public static final Duration FIRST = Duration.ofMillis(250);
    /** The longest wait the doubling reaches; a provider may ask for a longer one. */
    public static final Duration LONGEST = Duration.ofMinutes(1);

    private final Duration patience;
    private final String afterwards;
    private int failures;
    private long sinceNanos;

    /**
     * @param patience the most the failures in a row may span: the mission's call patience
     * @param afterwards what the message of a task that gave up says to do once the provider is right again (how
     *     the mission goes on)
     */
    public FailingSpell(Duration patience, String afterwards) {
        this.patience = patience;
        this.afterwards = afterwards;
    }

    /**
     * How long the task waits after it failed with {@code failure} at {@code nowNanos}, counting the failure.
     *
     * @param nowNanos the time of the failure on a clock that counts nanoseconds ({@code System::nanoTime}, or a
     *     workflow's time)
     * @param failure the failure
     * @return the wait before the next try
     * @throws LlmException.PatienceExhausted if the next try would come past the patience; see
     *     {@link #failed(long, String, int, Optional)}
     */
    public Duration failed(long nowNanos, LlmException failure) {
        try {
            return failed(nowNanos, failure.getMessage(), failure.status(), askedWait(failure));
        } catch (LlmException.PatienceExhausted exhausted) {
            exhausted.addSuppressed(failure);
            throw exhausted;
        }
    }

    /**
     * How long the task waits after a failure told by its message (one that crossed a process, say), counting it.
     *
     * @param nowNanos the time of the failure on a clock that counts nanoseconds
     * @param failure the failure's message
     * @param status the HTTP status of the failed call, 0 when there was none
     * @param asked the wait the provider asked for, if it said
     * @return the wait before the next try
     * @throws LlmException.PatienceExhausted if the next try would come more than the patience after the spell's
     *     first failure: its message gives the failures, their span, the patience, the last failure and what to do;
     *     the task's next failure starts a new spell
     */
    public Duration failed(long nowNanos, String failure, int status, Optional<Duration> asked) {
        if (failures == 0) {
            sinceNanos = nowNanos;
        }
        failures++;
        Duration doubled = FIRST.multipliedBy(1L << Math.min(failures - 1, 20));
        Duration backoff = doubled.compareTo(LONGEST) > 0 ? LONGEST : doubled;
        Duration wait = asked.filter(w -> w.compareTo(backoff) > 0).orElse(backoff);
        Duration failing = Duration.ofNanos(nowNanos - sinceNanos);
        if (failing.plus(wait).compareTo(patience) <= 0) {
            return wait;
        }
        String failed = failures == 1 ? "its call failed" : "its calls failed " + failures + " times in a row"
                + (failing.toSeconds() > 0 ? " over " + Durations.words(failing) : "");
        failures = 0;
        throw new LlmException.PatienceExhausted(failed + ", and a try " + Durations.words(wait)
                + " later would go past the call patience of " + Durations.words(patience) + "; the last failure: "
                + failure + "; check that the provider is up and its URL and model are right, then " + afterwards,
                status);
    }

    /** The task answered: its next failure starts a new spell. */
    public void succeeded() {
        failures = 0;
    }

    /** {@return the wait the provider asked for after {@code failure}, if the failure is its refusal and it said} */
    public static Optional<Duration> askedWait(LlmException failure) {
        return switch (failure) {
            case LlmException.RateLimited e -> e.retryAfter();
            case LlmException.Overloaded e -> e.retryAfter();
            default -> Optional.empty();
        };
    }
}
