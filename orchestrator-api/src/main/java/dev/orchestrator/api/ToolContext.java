package dev.orchestrator.api;

/** What a tool knows about the call it serves. */
public interface ToolContext {

    /** The mission's workspace, the only place the tool may touch. */
    Workspace workspace();

    /** The id of the task that made the call, such as {@code todo-3#1}. */
    String taskId();
}
