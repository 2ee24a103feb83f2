package dev.orchestrator.examples;

import dev.orchestrator.api.LlmProvider;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Which model the examples use: a real provider when its environment variables are set, otherwise the scripted
 * one, and a sentence that says which.
 *
 * @param provider the provider
 * @param description what it is, for the console
 * @param isScripted whether it is the offline script
 */
record ProviderChoice(LlmProvider provider, String description, boolean isScripted) {

    static final String HOW_TO_USE_A_REAL_MODEL = """
            To use a real model, set OPENAI_API_KEY (and OPENAI_MODEL), or OPENAI_BASE_URL for a local \
            OpenAI-compatible server such as Ollama, or ANTHROPIC_API_KEY, and run it again.""";

    /** The scripted provider from {@code scripted}, as real providers arrive with their own issue. */
    static ProviderChoice fromEnvironment(Map<String, String> environment, Supplier<LlmProvider> scripted) {
        return new ProviderChoice(scripted.get(), "scripted (offline, no API key needed)", true);
    }
}
