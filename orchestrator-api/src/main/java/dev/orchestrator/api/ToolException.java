package dev.orchestrator.api;

import java.io.Serial;

/**
 * A tool call that cannot be done as asked: a missing argument, a path outside the workspace, a file that is not
 * there. The engine turns it into an error {@link ToolResult} whose text is this message, so the message is
 * written for the model: it says what was wrong and what to do instead.
 */
public class ToolException extends RuntimeException {

    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * A refusal with a message for the model.
     *
     * @param message what went wrong and what to do
     */
    public ToolException(String message) {
        super(message);
    }

    /**
     * A refusal with a message for the model and the failure behind it.
     *
     * @param message what went wrong and what to do
     * @param cause the underlying failure
     */
    public ToolException(String message, Throwable cause) {
        super(message, cause);
    }
}
