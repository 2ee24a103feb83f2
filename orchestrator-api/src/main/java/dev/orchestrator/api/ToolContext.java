package dev.orchestrator.api;

/** What a tool knows about the call it serves. */
public interface ToolContext {

    /** {@return the mission's workspace, the only place the tool may touch} */
    Workspace workspace();

    /** {@return the id of the task that made the call, such as {@code todo-3#1}} */
    String taskId();
}
