package dev.orchestrator.core.internal.tools;

import dev.orchestrator.api.ToolArguments;

/**
 * A tool that is not idempotent and knows what a call of it that a crash cut off leaves behind, so that a resumed
 * mission can tell the model what it can do instead of repeating the call.
 */
public interface CutOffReport {

    /** What the model is told of a call with {@code arguments} that a crash cut off: what is left, what to do. */
    String cutOff(ToolArguments arguments);
}
