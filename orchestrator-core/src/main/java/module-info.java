/**
 * The engine behind the Orchestrator API: the mission loop, the built-in agents and tools, the model providers and
 * the journal. Only {@code dev.orchestrator.core.llm} (the providers) is public; packages named {@code internal}
 * are not part of the API and may change in any release.
 */
module dev.orchestrator.core {
    requires transitive dev.orchestrator.api;
    requires tools.jackson.databind;
    requires io.vavr;
    requires transitive java.net.http; // the providers' builders take an HttpClient

    exports dev.orchestrator.core.llm;
}
