package dev.orchestrator.core.internal.agents;

import java.io.Serial;

/** A built-in agent could not get a usable answer from the model within its limits. */
public final class AgentGaveUp extends RuntimeException {

    @Serial
    private static final long serialVersionUID = 1L;

    AgentGaveUp(String message) {
        super(message);
    }
}
