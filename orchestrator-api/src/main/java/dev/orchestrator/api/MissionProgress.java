package dev.orchestrator.api;

import java.util.Objects;

/**
 * A summary of a mission's state right after an event, for progress displays.
 *
 * @param pending todos not started or waiting for a retry
 * @param running todos an agent is working on
 * @param done todos finished successfully
 * @param failed todos whose last attempt failed
 * @param iteration the number of reviews so far
 * @param usage the tokens used so far
 */
public record MissionProgress(int pending, int running, int done, int failed, int iteration, Usage usage) {

    /** Checks the usage is present. */
    public MissionProgress {
        Objects.requireNonNull(usage, "usage");
    }

    /** {@return all todos, whatever their state} */
    public int total() {
        return pending + running + done + failed;
    }
}
