package dev.orchestrator.temporal;

import dev.orchestrator.api.Agent;
import dev.orchestrator.api.Mission;
import dev.orchestrator.api.MissionHandle;
import dev.orchestrator.api.spi.MissionSettings;
import dev.orchestrator.core.internal.engine.MissionSteps;
import dev.orchestrator.temporal.internal.MissionSpec;
import dev.orchestrator.temporal.internal.MissionWorkflow;
import dev.orchestrator.temporal.internal.Wire;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.SearchAttributes;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Missions as Temporal workflows: {@link #worker} serves missions on this machine, {@link #start} runs one on the
 * workers of a task queue. The mission is built with the same {@link Mission#builder()} as an embedded one; its
 * goal, verify command, limits, budget, prices, deadline, call patience, memory file and listeners travel with it,
 * while its provider, agents and tools are those each worker registered ({@link MissionWorkerOptions#missions()}),
 * since they are code, and its files are where each worker's {@link WorkspaceSource} says.
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
                options.taskQueue(), options.heartbeatTimeout().toMillis(), options.hostTimeout().toMillis(),
                terms(settings, options),
                new MissionSpec.Chain(options.continueAfterEvents(), null, 0, 0, null, null));
        WorkflowOptions.Builder workflowOptions = WorkflowOptions.newBuilder()
                .setWorkflowId(workflowId(missionId))
                .setTaskQueue(options.taskQueue());
        if (options.searchAttributes()) {
            workflowOptions.setTypedSearchAttributes(SearchAttributes.newBuilder()
                    .set(MissionSearchAttributes.MISSION_ID, missionId).build());
        }
        MissionWorkflow workflow = client.newWorkflowStub(MissionWorkflow.class, workflowOptions.build());
        WorkflowClient.start(workflow::run, spec);
        return new FollowedMission(client, spec, settings.listeners(), settings.memoryFile(), options.followEvery())
                .handle();
    }

    /**
     * What the workflow needs of the mission's settings besides the loop's limits, read here on the client: the
     * memory file is the client's, and so are the listeners that keep a context.
     */
    private static MissionSpec.Terms terms(MissionSettings settings, StartOptions options) {
        return new MissionSpec.Terms(settings.budget().maxDollars().map(BigDecimal::toPlainString).orElse(null),
                settings.prices().isEmpty() ? null : Wire.prices(settings.prices()),
                settings.deadline().map(Duration::toMillis).orElse(0L),
                settings.memoryFile().map(MissionSteps::memoryOf).orElse(""),
                MissionSteps.missionContext(settings.listeners()), options.searchAttributes(),
                settings.callPatience().toMillis());
    }

    /** {@return the id of the workflow that runs mission {@code missionId}} */
    public static String workflowId(String missionId) {
        return "mission-" + missionId;
    }
}
