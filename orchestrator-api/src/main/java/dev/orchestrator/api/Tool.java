package dev.orchestrator.api;

/**
 * Something an agent's model can do: read a file, run a command, call a service. Register extra tools with
 * {@link Mission.Builder#tool(Tool)}.
 *
 * <p>A crash resumes a mission by re-running every tool call that had started but not finished. Tools should
 * therefore be idempotent (write by content, not by appending); one that is not says so through
 * {@link #isIdempotent()}, and such a call is reported instead of repeated.
 */
public interface Tool {

    /** The name the model calls it by: letters, digits, {@code _} and {@code -}. */
    String name();

    /** What the tool does and when to use it, for the model. */
    String description();

    /** The JSON Schema of its arguments, as JSON text. */
    String inputSchema();

    /**
     * Runs the tool. Throw a {@link ToolException} for a refusal the model should read; any other exception is
     * reported to the model as a crash of the tool.
     */
    ToolResult execute(ToolArguments arguments, ToolContext context);

    /** Whether running the same call twice leaves the same result as running it once. True by default. */
    default boolean isIdempotent() {
        return true;
    }

    /** The description given to models. */
    default ToolSpec spec() {
        return new ToolSpec(name(), description(), inputSchema());
    }
}
