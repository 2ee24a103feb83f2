package dev.orchestrator.api;

import java.io.Serial;

/**
 * Thrown into an agent's calls once its mission is stopping (budget reached, cancelled, failed elsewhere). Agents
 * should not catch it: it unwinds the agent so the mission can end.
 */
public final class MissionStoppedException extends RuntimeException {

    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * Stops an agent, saying why.
     *
     * @param message what went wrong and what to do
     */
    public MissionStoppedException(String message) {
        super(message);
    }
}
