package dev.orchestrator.api;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A summary of a mission's state right after an event, for progress displays. Its usage counts as the
 * {@link MissionResult}'s does: every run of the mission (a resumed one's earlier runs too), in all and per role at
 * the mission's prices, so that what a display shows on the way is what the result says at the end.
 *
 * @param pending todos not started or waiting for a retry
 * @param running todos an agent is working on
 * @param done todos finished successfully
 * @param failed todos whose last attempt failed
 * @param replaced todos the Commander replaced by others, which carry their work
 * @param dropped todos given up without a replacement: work not done
 * @param iteration the number of reviews so far
 * @param usage the tokens used so far, all roles together
 * @param usageByRole the calls, tokens and dollars of each role that called a model so far, by role name, as
 *     {@link MissionResult#usageByRole()} gives them at the end
 */
public record MissionProgress(int pending, int running, int done, int failed, int replaced, int dropped, int iteration,
        Usage usage, List<RoleUsage> usageByRole) {

    /** Checks the usage is present and copies the roles. */
    public MissionProgress {
        Objects.requireNonNull(usage, "usage");
        usageByRole = List.copyOf(usageByRole);
    }

    /**
     * A summary without the usage per role, for a display that shows only the total.
     *
     * @param pending todos not started or waiting for a retry
     * @param running todos an agent is working on
     * @param done todos finished successfully
     * @param failed todos whose last attempt failed
     * @param replaced todos the Commander replaced by others
     * @param dropped todos given up without a replacement
     * @param iteration the number of reviews so far
     * @param usage the tokens used so far
     */
    public MissionProgress(int pending, int running, int done, int failed, int replaced, int dropped, int iteration,
            Usage usage) {
        this(pending, running, done, failed, replaced, dropped, iteration, usage, List.of());
    }

    /** {@return all todos, whatever their state} */
    public int total() {
        return pending + running + done + failed + replaced + dropped;
    }

    /** {@return the todos whose work is not done yet: all but the done and the replaced ones} */
    public int notDone() {
        return pending + running + failed + dropped;
    }

    /**
     * {@return what the calls of {@code role} used so far, if it made any}
     *
     * @param role the role, as {@link Agent#role()} names it
     */
    public Optional<RoleUsage> usageOf(String role) {
        return RoleUsage.of(usageByRole, role);
    }
}
