package dev.orchestrator.api;

import java.util.Objects;

/**
 * A summary of a mission's state right after an event, for progress displays.
 *
 * @param pending todos not started or waiting for a retry
 * @param running todos an agent is working on
 * @param done todos finished successfully
 * @param failed todos whose last attempt failed
 * @param replaced todos the Commander replaced by others, which carry their work
 * @param dropped todos given up without a replacement: work not done
 * @param iteration the number of reviews so far
 * @param usage the tokens used so far
 */
public record MissionProgress(int pending, int running, int done, int failed, int replaced, int dropped, int iteration,
        Usage usage) {

    /** Checks the usage is present. */
    public MissionProgress {
        Objects.requireNonNull(usage, "usage");
    }

    /** {@return all todos, whatever their state} */
    public int total() {
        return pending + running + done + failed + replaced + dropped;
    }

    /** {@return the todos whose work is not done yet: all but the done and the replaced ones} */
    public int notDone() {
        return pending + running + failed + dropped;
    }
}
