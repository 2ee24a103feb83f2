package dev.orchestrator.api;

/** What an {@link Agent} works with. Everything it does should go through here, so that it is journaled. */
public interface AgentContext {

    /** {@return the mission's id} */
    String missionId();

    /** {@return journaled, budgeted calls to the mission's model} */
    LlmGateway llm();

    /** {@return the tools, confined to the workspace} */
    ToolBox tools();

    /** {@return the mission's workspace} */
    Workspace workspace();

    /** {@return the project memory} */
    ProjectMemory memory();

    /**
     * Records a note about the agent's progress as an {@link MissionEvent.AgentNote}, for listeners.
     *
     * @param note the note
     */
    void emit(String note);
}
