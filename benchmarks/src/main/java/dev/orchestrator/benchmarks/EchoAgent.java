package dev.orchestrator.benchmarks;

import dev.langchain4j.agentic.Agent;
import dev.langchain4j.service.UserMessage;
import dev.langchain4j.service.V;

/** The LangChain4j agent of the anchor runs: one model call on its input, the model's text as its output. */
public interface EchoAgent {

    /** Asks the model once. */
    @Agent("Answers one call")
    @UserMessage("{{input}}")
    String answer(@V("input") String input);
}
