package dev.orchestrator.temporal;

import dev.orchestrator.api.Agent;
import dev.orchestrator.api.Mission;
import dev.orchestrator.api.MissionHandle;
import dev.orchestrator.api.spi.MissionSettings;
import dev.orchestrator.temporal.internal.MissionSpec;
import dev.orchestrator.temporal.internal.MissionWorkflow;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Missions as Temporal workflows: {@link #worker} serves missions on this machine, {@link #start} runs one on the
 * workers of a task queue. The mission is built with the same {@link Mission#builder()} as an embedded one; its
 * goal, verify command, limits, budget and listeners travel with it, while its provider, agents and tools are those
 * each worker registered ({@link MissionWorkerOptions#missions()}), since they are code, and its files are where
 * each worker's {@link WorkspaceSource} says.
 */
public final class TemporalMissions {

    private TemporalMissions() {
    }

    /**
     * Starts serving missions on this machine.
     *
     * @param client the Temporal client
     * @param options what this worker brings
     * @return the worker; close it to stop
     */
    public static MissionWorker worker(WorkflowClient client, MissionWorkerOptions options) {
        return new MissionWorker(client, options);
    }

    /**
     * Starts {@code mission} on the workers of the default task queue.
     *
     * @param client the Temporal client
     * @param mission the mission
     * @return a handle to await its result or cancel it; the mission's listeners see its events
     */
    public static MissionHandle start(WorkflowClient client, Mission mission) {
        return start(client, mission, StartOptions.DEFAULT);
    }

    /**
     * Starts {@code mission} on the workers of {@code options}' task queue.
     *
     * @param client the Temporal client
     * @param mission the mission
     * @param options the queue and timeouts
     * @return a handle to await its result or cancel it; the mission's listeners see its events
     */
    public static MissionHandle start(WorkflowClient client, Mission mission, StartOptions options) {
        MissionSettings settings = mission.settings();
        Set<String> roles = new LinkedHashSet<>(List.of(Agent.COMMANDER, Agent.PLANNER, Agent.WORKER,
                Agent.REVIEWER));
        roles.addAll(settings.agents().keySet());
        String missionId = settings.missionId().orElseGet(() -> UUID.randomUUID().toString());
        MissionSpec spec = new MissionSpec(missionId, settings.goal(), settings.verifyCommand(),
                settings.verifyTimeout().toMillis(), settings.maxParallelWorkers(), settings.maxIterations(),
                settings.maxWorkerTurns(), settings.maxAttempts(), settings.budget().maxTokens(), List.copyOf(roles),
                options.taskQueue(), options.heartbeatTimeout().toMillis(),
                options.hostTimeout().toMillis());
        MissionWorkflow workflow = client.newWorkflowStub(MissionWorkflow.class, WorkflowOptions.newBuilder()
                .setWorkflowId(workflowId(missionId))
                .setTaskQueue(options.taskQueue())
                .build());
        WorkflowClient.start(workflow::run, spec);
        return new FollowedMission(client, spec, settings.listeners(), options.followEvery()).handle();
    }

    /** {@return the id of the workflow that runs mission {@code missionId}} */
    public static String workflowId(String missionId) {
        return "mission-" + missionId;
    }
}
