package dev.orchestrator.api.spi;

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
}
