package dev.orchestrator.core.internal.engine;

import dev.orchestrator.api.Agent;
import dev.orchestrator.api.AgentResult;
import dev.orchestrator.api.MissionEvent.MissionStarted;
import dev.orchestrator.api.Task;
import dev.orchestrator.api.VerifyResult;
import dev.orchestrator.api.spi.MissionSettings;

/**
 * One task of a mission run outside the mission's loop, by the agent of its role with the mission's tools,
 * providers, limiter and budget: for a driver that runs each task where it likes (a Temporal activity). The task's
 * model and tool calls are journaled in the settings' journal before they are used, and a journal that already
 * holds some (an earlier attempt of the same task) answers them from its record, so a retried task pays for
 * nothing twice.
 */
public final class TaskRunner {

    private TaskRunner() {
    }

    /**
     * Runs {@code task} with the agent of {@code role}.
     *
     * @param settings the mission's settings; its journal is the task's own record
     * @param role the role of the agent
     * @param task the task
     * @return the agent's answer
     * @throws dev.orchestrator.api.LlmException if a model call failed (a retryable one may be run again)
     */
    public static AgentResult act(MissionSettings settings, String role, Task task) {
        try (TaskServices services = open(settings)) {
            Agent agent = services.services.agents().get(role);
            if (agent == null) {
                throw new IllegalArgumentException("no agent of role '" + role + "' here: register it on every "
                        + "worker (Mission.Builder.agent) or plan todos only for " + services.services.agents()
                        .keySet());
            }
            try {
                return agent.act(task, services.services.contextFor(role, task.id()));
            } finally {
                services.services.leases().releaseAll(task.id());
                services.services.background().endAll(task.id());
            }
        }
    }

    /** {@return the result of the mission's verify command, run in its workspace} */
    public static VerifyResult verify(MissionSettings settings) {
        try (TaskServices services = open(settings)) {
            return services.services.verify();
        }
    }

    /** The mission's services over the task's journal, which begins, as every mission journal does, with its start. */
    private record TaskServices(MissionServices services) implements AutoCloseable {

        @Override
        public void close() {
            services.close();
        }
    }

    private static TaskServices open(MissionSettings settings) {
        MissionServices services = new MissionServices(settings, new StopSignal(() -> { }));
        if (services.eventsReplayed() == 0) {
            EventRecorder recorder = services.recorder();
            recorder.record(new MissionStarted(services.missionId(), settings.goal(),
                    settings.workspace().toString(), settings.verifyCommand(), services.initialMemory(),
                    recorder.now()));
        }
        return new TaskServices(services);
    }
}
