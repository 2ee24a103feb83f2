package dev.orchestrator.api;

import java.time.Duration;
import java.util.Optional;

/** A running mission, returned by {@link Mission#start()}. */
public interface MissionHandle {

    /** The mission's id. */
    String missionId();

    /** Waits for the mission to end and returns its result. */
    MissionResult await() throws InterruptedException;

    /** Waits at most {@code timeout} for the mission to end; empty if it is still running. */
    Optional<MissionResult> await(Duration timeout) throws InterruptedException;

    /**
     * Asks the mission to stop: no new work starts, running agents are interrupted, and the mission ends as
     * {@link MissionResult.Outcome#CANCELLED}. Returns at once; {@link #await()} for the end.
     */
    void cancel();

    /** Whether the mission has ended. */
    boolean isDone();
}
