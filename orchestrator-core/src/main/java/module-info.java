/**
 * The engine behind the Orchestrator API: the mission loop, the built-in agents and tools, the model providers and
 * the journal. Only {@code dev.orchestrator.core.llm} (the providers), {@code dev.orchestrator.core.journal} (the
 * file journal) and {@code dev.orchestrator.core.tools} (tools typed by records) are public; packages named
 * {@code internal} are not part of the API and may change in any release.
 */
module dev.orchestrator.core {
    requires transitive dev.orchestrator.api;
    requires tools.jackson.databind;
    requires com.fasterxml.jackson.annotation;
    requires io.vavr;
    requires transitive java.net.http; // the providers' builders take an HttpClient

    exports dev.orchestrator.core.journal;
    exports dev.orchestrator.core.llm;
    exports dev.orchestrator.core.tools;

    provides dev.orchestrator.api.spi.MissionEngine with dev.orchestrator.core.internal.engine.DefaultMissionEngine;
}
