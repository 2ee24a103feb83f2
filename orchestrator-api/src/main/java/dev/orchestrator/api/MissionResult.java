package dev.orchestrator.api;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How a mission ended.
 *
 * @param missionId the mission's id
 * @param outcome how it ended
 * @param reason why, in words
 * @param todos every todo and where it stands
 * @param openIssues the issues the last review left open
 * @param usage the tokens used in all
 * @param usageByRole the calls, tokens and dollars of each role that called a model, by role name; their usage
 *     sums to {@code usage}. A resumed mission's include the runs before it
 * @param iterations the number of reviews
 * @param duration the time from start to end, by the mission's clock
 */
public record MissionResult(String missionId, Outcome outcome, String reason, List<TodoStatus> todos,
        List<Issue> openIssues, Usage usage, List<RoleUsage> usageByRole, int iterations, Duration duration) {

    /** Checks the fields are present and copies the lists. */
    public MissionResult {
        Objects.requireNonNull(missionId, "missionId");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(reason, "reason");
        todos = List.copyOf(todos);
        openIssues = List.copyOf(openIssues);
        Objects.requireNonNull(usage, "usage");
        usageByRole = List.copyOf(usageByRole);
        Objects.requireNonNull(duration, "duration");
    }

    /** {@return whether the mission met its goal} */
    public boolean isCompleted() {
        return outcome == Outcome.COMPLETED;
    }

    /**
     * {@return what the model calls of {@code role} used; empty when no agent of that role called a model}
     *
     * @param role a role: {@code "commander"}, {@code "planner"}, {@code "worker"}, {@code "reviewer"} or a custom
     *     agent's
     */
    public Optional<RoleUsage> usageOf(String role) {
        return RoleUsage.of(usageByRole, role);
    }

    /** The ways a mission ends. */
    public enum Outcome {
        /** Every todo is done, the verify command passes and the review found nothing open. */
        COMPLETED,
        /** Something could not go on: an authentication error, an invalid plan, an agent that broke. */
        FAILED,
        /** The token or dollar budget was reached. */
        BUDGET_EXHAUSTED,
        /** The maximum number of reviews passed without meeting the goal. */
        ITERATION_LIMIT,
        /** The {@link Mission.Builder#deadline deadline} passed before the goal was met. */
        DEADLINE,
        /** {@link MissionHandle#cancel()} was called. */
        CANCELLED
    }
}
