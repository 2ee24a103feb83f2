package dev.orchestrator.api;

import java.time.Duration;
import java.util.Optional;

/** A running mission, returned by {@link Mission#start()}. */
public interface MissionHandle {

    /** {@return the mission's id} */
    String missionId();

    /**
     * {@return waits for the mission to end and returns its result}
     *
     * @throws InterruptedException if the calling thread is interrupted while it waits
     */
    MissionResult await() throws InterruptedException;

    /**
     * {@return waits at most {@code timeout} for the mission to end; empty if it is still running}
     *
     * @param timeout how long to wait at most
     * @throws InterruptedException if the calling thread is interrupted while it waits
     */
    Optional<MissionResult> await(Duration timeout) throws InterruptedException;

    /**
     * Asks the mission to stop: no new work starts, running agents are interrupted, and the mission ends as
     * {@link MissionResult.Outcome#CANCELLED}. Returns at once; {@link #await()} for the end.
     */
    void cancel();

    /** {@return whether the mission has ended} */
    boolean isDone();
}
