package dev.orchestrator.temporal.internal;

import java.util.List;

/**
 * A mission as the workflow gets it: data only, since agents, providers and tools are code that each worker has.
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
 */
public record MissionSpec(String missionId, String goal, String verifyCommand, long verifyTimeoutMillis,
        int maxParallelWorkers, int maxIterations, int maxWorkerTurns, int maxAttempts, long maxTokens,
        List<String> roles, String taskQueue, long heartbeatMillis, long hostTimeoutMillis) {

    /** Copies the roles. */
    public MissionSpec {
        roles = List.copyOf(roles);
    }
}
