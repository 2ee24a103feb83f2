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

    /** {@return the name the model calls it by: letters, digits, {@code _} and {@code -}} */
    String name();

    /** {@return what the tool does and when to use it, for the model} */
    String description();

    /** {@return the JSON Schema of its arguments, as JSON text} */
    String inputSchema();

    /**
     * Runs the tool. Throw a {@link ToolException} for a refusal the model should read; any other exception is
     * reported to the model as a crash of the tool.
     *
     * @param arguments the arguments the model gave
     * @param context the task's context
     * @return the tool's result for the model
     */
    ToolResult execute(ToolArguments arguments, ToolContext context);

    /** {@return whether running the same call twice leaves the same result as running it once} */
    default boolean isIdempotent() {
        return true;
    }

    /** {@return the description given to models} */
    default ToolSpec spec() {
        return new ToolSpec(name(), description(), inputSchema());
    }
}
