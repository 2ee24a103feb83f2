package dev.orchestrator.api;

/** What an {@link Agent} works with. Everything it does should go through here, so that it is journaled. */
public interface AgentContext {

    /** The mission's id. */
    String missionId();

    /** Journaled, budgeted calls to the mission's model. */
    LlmGateway llm();

    /** The tools, confined to the workspace. */
    ToolBox tools();

    /** The mission's workspace. */
    Workspace workspace();

    /** The project memory. */
    ProjectMemory memory();

    /** Records a note about the agent's progress as an {@link MissionEvent.AgentNote}, for listeners. */
    void emit(String note);
}
