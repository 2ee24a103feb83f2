package dev.orchestrator.core.internal.engine;

import dev.orchestrator.api.MissionResult.Outcome;
import dev.orchestrator.api.MissionStoppedException;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/** Why the mission is stopping, if it is. The first reason wins: a cancel after the budget ran out changes nothing. */
final class StopSignal {

    record Stop(Outcome outcome, String reason) {
    }

    private final AtomicReference<Stop> stop = new AtomicReference<>();
    private final Runnable onStop;

    /** {@code onStop} runs once, on the thread that first triggers, to wake whoever waits for work to finish. */
    StopSignal(Runnable onStop) {
        this.onStop = onStop;
    }

    /** Asks the mission to stop; returns whether this call was the first. */
    boolean trigger(Outcome outcome, String reason) {
        if (stop.compareAndSet(null, new Stop(outcome, reason))) {
            onStop.run();
            return true;
        }
        return false;
    }

    Optional<Stop> current() {
        return Optional.ofNullable(stop.get());
    }

    boolean isSet() {
        return stop.get() != null;
    }

    /** Throws if the mission is stopping, so that an agent unwinds before it spends more. */
    void check() {
        Stop current = stop.get();
        if (current != null) {
            throw new MissionStoppedException("the mission is stopping (" + current.outcome() + "): " + current.reason());
        }
    }
}
