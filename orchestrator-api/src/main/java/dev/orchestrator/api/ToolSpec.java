package dev.orchestrator.api;

import java.util.Objects;

/**
 * How a tool is described to the model.
 *
 * @param name the name the model calls it by: letters, digits, {@code _} and {@code -}, at most 64 characters
 * @param description what it does and when to use it
 * @param inputSchema a JSON Schema object, as JSON text, for the tool's arguments
 */
public record ToolSpec(String name, String description, String inputSchema) {

    /** Checks the name is one every provider accepts. */
    public ToolSpec {
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(inputSchema, "inputSchema");
        if (name == null || !name.matches("[A-Za-z0-9_-]{1,64}")) {
            throw new IllegalArgumentException(
                    "tool name must be 1-64 letters, digits, '_' or '-', was '" + name + "'");
        }
    }
}
