package dev.orchestrator.core.internal.limit;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What a limiter does, for progress displays and reports. Every method does nothing by default, so adding an event
 * breaks no listener. Methods are called without the limiter's lock held, on the thread that caused the event;
 * they must be quick and must not call back into the limiter's {@code acquire}.
 */
public interface LimiterListener {

    /** A listener that ignores everything. */
    LimiterListener NONE = new LimiterListener() { };

    /** A caller could not be admitted at once and waits; {@code paused} says whether a pause is the reason. */
    default void onQueued(LimiterKey key, Priority priority, int waiting, boolean paused) {
    }

    /** A queued caller was admitted after waiting {@code waited}. */
    default void onAdmittedAfterWait(LimiterKey key, Priority priority, Duration waited) {
    }

    /** A queued caller gave up: it timed out or was cancelled. */
    default void onAbandoned(LimiterKey key, Priority priority, Duration waited) {
    }

    /** A call was dropped by the provider; {@code cut} says whether the limit was cut for it. */
    default void onDropped(LimiterKey key, DropCause cause, Optional<Duration> retryAfter, boolean cut) {
    }

    /** The number of calls admitted at once changed. */
    default void onLimitChanged(LimiterKey key, double oldLimit, double newLimit) {
    }

    /**
     * The rates the pacer learned from the provider's refusals and headers changed enough to matter: a rate was
     * learned, or moved by more than 5 %. The pacer's probing above them between refusals is not told.
     */
    default void onRatesLearned(LimiterKey key, PacedRates rates) {
    }

    /** Admissions are paused until {@code until}. */
    default void onPaused(LimiterKey key, Instant until, PauseCause cause) {
    }

    /**
     * {@code queued} callers now wait until about {@code until} because of {@code cause}: a pause the provider asked
     * for ({@link PauseCause#RETRY_AFTER}), quota headers that said the window is nearly used up, or the pacer
     * spacing sends for the learned request or token rate. Reported when a caller starts waiting for a pause or the
     * pacer and when a new pause or pacer wake-up is set while callers wait; a progress display shows it as
     * "waiting 12 s: rate limit, 3 calls queued".
     */
    default void onWaiting(LimiterKey key, PauseCause cause, Instant until, int queued) {
    }
}
