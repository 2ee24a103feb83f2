package dev.orchestrator.api.spi;

import dev.orchestrator.api.MissionHandle;

/**
 * Runs missions. {@code orchestrator-core} provides one through {@link java.util.ServiceLoader}; users do not
 * implement this.
 */
public interface MissionEngine {

    /** Starts a mission on threads of its own and returns at once. */
    MissionHandle start(MissionSettings settings);
}
