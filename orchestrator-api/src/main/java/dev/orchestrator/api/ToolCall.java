package dev.orchestrator.api;

import java.util.Objects;

/**
 * A model's request to call a tool.
 *
 * @param id the provider's id for the call, echoed back in the {@link Message.ToolResult}
 * @param name the tool's name
 * @param arguments the arguments as JSON text, exactly as the model produced them: they may be invalid JSON, in
 *     which case the call is answered with an error result for the model to correct
 */
public record ToolCall(String id, String name, String arguments) {

    /** Checks every field is present. */
    public ToolCall {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(arguments, "arguments");
    }
}
