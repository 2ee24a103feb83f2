package dev.orchestrator.core.internal.tools;

import dev.orchestrator.api.ToolContext;
import dev.orchestrator.api.Workspace;

/**
 * The context of the tool calls of one task.
 *
 * @param workspace the mission's workspace
 * @param taskId the task making the calls
 * @param turn the index, within the task, of the model call that asked for the tool call
 */
public record TaskToolContext(Workspace workspace, String taskId, int turn) implements ToolContext {

    /** The context of {@code taskId}'s calls before its first model call. */
    public TaskToolContext(Workspace workspace, String taskId) {
        this(workspace, taskId, 0);
    }

    /** {@return this context for the calls model call {@code turn} asked for} */
    public TaskToolContext at(int turn) {
        return new TaskToolContext(workspace, taskId, turn);
    }
}
