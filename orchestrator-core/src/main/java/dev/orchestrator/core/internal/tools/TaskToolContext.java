package dev.orchestrator.core.internal.tools;

import dev.orchestrator.api.ToolContext;
import dev.orchestrator.api.Workspace;

/**
 * The context of the tool calls of one task.
 *
 * @param workspace the mission's workspace
 * @param taskId the task making the calls
 */
public record TaskToolContext(Workspace workspace, String taskId) implements ToolContext {
}
