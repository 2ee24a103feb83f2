package dev.orchestrator.core.internal.engine;

import dev.orchestrator.api.AgentContext;
import dev.orchestrator.api.LlmGateway;
import dev.orchestrator.api.MissionEvent.AgentNote;
import dev.orchestrator.api.ProjectMemory;
import dev.orchestrator.api.ToolBox;
import dev.orchestrator.api.Workspace;

/**
 * What one agent gets for one task: the task's own model gateway and tool box, and the mission's shared parts. The
 * workspace is handed out only once the task's dispatch is durable ({@code dispatched}), as the gateway and the tool
 * box act only then: an agent may write files through it.
 */
record TaskContext(String missionId, LlmGateway llm, ToolBox tools, Workspace workspace, ProjectMemory memory,
        EventRecorder recorder, String role, String taskId, EventRecorder.Durable dispatched)
        implements AgentContext {

    @Override
    public Workspace workspace() {
        dispatched.await();
        return workspace;
    }

    @Override
    public void emit(String note) {
        recorder.record(new AgentNote(taskId, role, note, recorder.now()));
    }
}
