package dev.orchestrator.temporal.internal;

import dev.orchestrator.temporal.WorkspaceSource.Revision;
import java.util.List;
import java.util.Map;

/**
 * A mission as the workflow gets it: data only, since agents, providers and tools are code that each worker has.
 * The fields after {@code heartbeatMillis} came later: a history recorded before them holds none, so each is read
 * through an accessor that gives the old behaviour for a missing one.
 *
 * @param missionId the mission's id
 * @param goal the goal
 * @param verifyCommand the verify command
 * @param verifyTimeoutMillis how long it may run
 * @param maxParallelWorkers the most todos at once
 * @param maxIterations the most reviews
 * @param maxWorkerTurns the most model calls of one attempt at a todo
 * @param maxAttempts the most attempts at one todo
 * @param maxTokens the token budget
 * @param roles the agent roles todos may name
 * @param taskQueue the queue of the workers that hold the mission's agents
 * @param heartbeatMillis how long an activity may go without a heartbeat before it is retried elsewhere
 * @param hostTimeoutMillis how long a task may wait in its host's queue before the host is taken for lost (0 in
 *     histories from before there were hosts)
 * @param terms the rest of the mission's settings: its dollar budget, prices, deadline, memory and context
 * @param chain when the mission continues as a new run, and what it carried into this one
 */
public record MissionSpec(String missionId, String goal, String verifyCommand, long verifyTimeoutMillis,
        int maxParallelWorkers, int maxIterations, int maxWorkerTurns, int maxAttempts, long maxTokens,
        List<String> roles, String taskQueue, long heartbeatMillis, long hostTimeoutMillis, Terms terms,
        Chain chain) {

    /** Copies the roles. */
    public MissionSpec {
        roles = List.copyOf(roles);
    }

    /**
     * What the embedded engine reads from the mission's settings besides the loop's limits.
     *
     * @param maxDollars the dollar budget as a plain decimal, or null for none
     * @param prices the mission's own model prices (see {@link Wire#prices}), or null for none
     * @param deadlineMillis how long the mission may take from its start, or 0 for no deadline
     * @param memory the project memory file's notes as the client read them at the start
     * @param context what the listeners keep for the mission's later runs
     * @param searchAttributes whether the workflow keeps its state and outcome in search attributes
     * @param callPatienceMillis the call patience ({@code Mission.Builder.callPatience}), which also bounds a task's
     *     passing failures in a row; 0 in histories from before it was carried, whose tasks are tried again until
     *     the mission ends
     */
    public record Terms(String maxDollars, String prices, long deadlineMillis, String memory,
            Map<String, String> context, boolean searchAttributes, long callPatienceMillis) {

        /** Copies the context. */
        public Terms {
            context = context == null ? Map.of() : Map.copyOf(context);
            memory = memory == null ? "" : memory;
        }

        /** The terms of a mission recorded before there were any. */
        static final Terms NONE = new Terms(null, null, 0, "", Map.of(), false, 0);
    }

    /**
     * When the workflow continues as a new run, and what the run it continues carried into it.
     *
     * @param continueAfterEvents the history length past which the mission continues as a new run at its next quiet
     *     moment (no task under way), or 0 to continue only when Temporal suggests it
     * @param checkpoint the fold of the events before this run ({@code MissionSteps.checkpoint()}), or null for the
     *     first run
     * @param eventsBefore how many events the runs before this one recorded
     * @param deadlineAtMillis when the mission's deadline passes, in workflow time, or 0 for no deadline
     * @param host the queue of the worker that hosted the mission's workspace when the run before this one ended,
     *     or null for none (the first run, a mission whose tasks took the shared queue)
     * @param revision the newest revision of the workspace a finished task saved, or null for none
     */
    public record Chain(int continueAfterEvents, String checkpoint, int eventsBefore, long deadlineAtMillis,
            String host, Revision revision) {
    }

    /** {@return the terms, or none for a mission recorded before there were any} */
    Terms termsOrNone() {
        return terms == null ? Terms.NONE : terms;
    }

    /** {@return this spec for the next run of the chain, which goes on from {@code carried}} */
    MissionSpec continued(Chain carried) {
        return new MissionSpec(missionId, goal, verifyCommand, verifyTimeoutMillis, maxParallelWorkers, maxIterations,
                maxWorkerTurns, maxAttempts, maxTokens, roles, taskQueue, heartbeatMillis, hostTimeoutMillis, terms,
                carried);
    }
}
