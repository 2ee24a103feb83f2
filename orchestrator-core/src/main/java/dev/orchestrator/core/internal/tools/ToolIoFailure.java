package dev.orchestrator.core.internal.tools;

import dev.orchestrator.api.ToolException;

/**
 * A tool failed for a reason outside the model's control (an I/O error, a full disk). The model is told, but the
 * result is not journaled as final: a resumed mission tries the call again.
 */
public final class ToolIoFailure extends ToolException {

    /** A failure described by {@code message}, which names workspace paths only. */
    public ToolIoFailure(String message) {
        super(message);
    }
}
