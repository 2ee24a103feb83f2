package dev.orchestrator.api.spi;

import dev.orchestrator.api.AgentSession;
import dev.orchestrator.api.Mission;
import dev.orchestrator.api.MissionHandle;

/**
 * Runs missions. {@code orchestrator-core} provides one through {@link java.util.ServiceLoader}; users do not
 * implement this.
 */
public interface MissionEngine {

    /**
     * {@return starts a mission on threads of its own and returns at once}
     *
     * @param settings the mission's settings
     */
    MissionHandle start(MissionSettings settings);

    /**
     * {@return the context of one task, outside a mission's loop} (see {@link Mission#openContext})
     *
     * @param settings the mission's settings
     * @param role the role of the agent the context is for
     * @param taskId the task's id
     */
    default AgentSession openContext(MissionSettings settings, String role, String taskId) {
        throw new UnsupportedOperationException(getClass().getName() + " cannot open a context outside a mission");
    }
}
