package dev.orchestrator.api;

import java.util.Objects;

/**
 * What a tool call returned to the model.
 *
 * @param content the output, or what went wrong and how to correct it
 * @param isError whether the call failed
 */
public record ToolResult(String content, boolean isError) {

    /** Checks the content is present. */
    public ToolResult {
        Objects.requireNonNull(content, "content");
    }

    /**
     * {@return a successful result}
     *
     * @param content the content
     */
    public static ToolResult ok(String content) {
        return new ToolResult(content, false);
    }

    /**
     * {@return a failed result; {@code message} should tell the model what to do differently}
     *
     * @param message what went wrong and what to do
     */
    public static ToolResult error(String message) {
        return new ToolResult(message, true);
    }
}
