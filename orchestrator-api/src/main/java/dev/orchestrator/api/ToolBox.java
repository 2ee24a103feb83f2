package dev.orchestrator.api;

import java.util.List;

/** The tools an agent may use, confined to the mission's workspace. */
public interface ToolBox {

    /** {@return the specs of every tool, in a stable order, to put in a {@link ChatRequest}} */
    List<ToolSpec> specs();

    /**
     * Runs a model's tool call and returns the message that answers it. Never throws for a failed call: unknown
     * tools, invalid JSON arguments, refusals and crashes all come back as error results for the model to read.
     * Each call is journaled when it starts and when it completes.
     *
     * @param call the call
     * @param turn the index of the model call that asked for it within the task
     * @param index its position among that response's tool calls
     * @return the tool message that answers the call
     */
    Message.ToolResult call(ToolCall call, int turn, int index);
}
