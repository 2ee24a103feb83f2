/**
 * The public face of Orchestrator for Java: build a {@link dev.orchestrator.api.Mission}, plug in
 * {@link dev.orchestrator.api.Agent}s, {@link dev.orchestrator.api.LlmProvider}s and {@link dev.orchestrator.api.Tool}s,
 * and follow the mission through its {@link dev.orchestrator.api.MissionEvent}s.
 *
 * <p>This module has no runtime dependency. The engine behind it lives in {@code orchestrator-core} and is found
 * through {@link java.util.ServiceLoader}.
 */
module dev.orchestrator.api {
    exports dev.orchestrator.api;
    exports dev.orchestrator.api.spi;

    uses dev.orchestrator.api.spi.MissionEngine;
}
