package dev.orchestrator.cli;

import dev.orchestrator.api.LlmProvider;
import dev.orchestrator.core.llm.Anthropic;
import dev.orchestrator.core.llm.HttpProviderBuilder;
import dev.orchestrator.core.llm.OpenAiCompatible;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Which model the examples use: a real provider when its environment variables are set, otherwise the scripted
 * one, and a sentence that says which. {@code OPENAI_API_KEY} or {@code OPENAI_BASE_URL} choose the
 * OpenAI-compatible provider (OpenAI, Ollama, vLLM, llama.cpp, LM Studio, OpenRouter); otherwise
 * {@code ANTHROPIC_API_KEY} chooses Anthropic.
 *
 * @param provider the provider
 * @param description what it is, for the console
 * @param isScripted whether it is the offline script
 */
public record ProviderChoice(LlmProvider provider, String description, boolean isScripted) implements AutoCloseable {

    /** What to set to use a real model instead of the scripted one. */
    public static final String HOW_TO_USE_A_REAL_MODEL = """
            To use a real model, set OPENAI_API_KEY (and OPENAI_MODEL), or OPENAI_BASE_URL and OPENAI_MODEL for a \
            local OpenAI-compatible server such as Ollama, or ANTHROPIC_API_KEY, and run it again.""";

    /**
     * The provider {@code environment} asks for, or the one {@code scripted} makes.
     *
     * @param environment the environment variables, such as {@link System#getenv()}
     * @param scripted makes the scripted provider, when no variable asks for another
     * @return the choice
     * @throws IllegalStateException when the variables set are not enough, saying what to add
     */
    public static ProviderChoice fromEnvironment(Map<String, String> environment, Supplier<LlmProvider> scripted) {
        return fromEnvironment(environment, scripted, http -> {
        });
    }

    /**
     * As {@link #fromEnvironment(Map, Supplier)}, with {@code http} applied to the builder of a provider over HTTP
     * (not to the scripted one) before it is built: for what the environment does not hold, such as a timeout.
     *
     * @throws IllegalStateException when the variables set are not enough, saying what to add
     */
    public static ProviderChoice fromEnvironment(Map<String, String> environment, Supplier<LlmProvider> scripted,
            Consumer<HttpProviderBuilder<?>> http) {
        if (isSet(environment, "OPENAI_API_KEY") || isSet(environment, "OPENAI_BASE_URL")) {
            return named(OPENAI, environment, scripted, http);
        }
        if (isSet(environment, "ANTHROPIC_API_KEY")) {
            return named(ANTHROPIC, environment, scripted, http);
        }
        return named(SCRIPTED, environment, scripted, http);
    }

    /** The name of the scripted provider in {@link #named}. */
    public static final String SCRIPTED = "scripted";
    /** The name of the OpenAI-compatible provider in {@link #named}. */
    public static final String OPENAI = "openai";
    /** The name of the Anthropic provider in {@link #named}. */
    public static final String ANTHROPIC = "anthropic";

    /**
     * The provider called {@code name}, configured from {@code environment} as {@code OpenAiCompatible.fromEnv} or
     * {@code Anthropic.fromEnv} read it.
     *
     * @param name {@value #SCRIPTED}, {@value #OPENAI} or {@value #ANTHROPIC}
     * @param environment the environment variables
     * @param scripted makes the scripted provider
     * @return the choice
     * @throws IllegalStateException when the variables the provider needs are not set, saying which
     * @throws IllegalArgumentException for another name
     */
    public static ProviderChoice named(String name, Map<String, String> environment, Supplier<LlmProvider> scripted) {
        return named(name, environment, scripted, http -> {
        });
    }

    /**
     * As {@link #named(String, Map, Supplier)}, with {@code http} applied to the builder of a provider over HTTP
     * (not to the scripted one) before it is built: for what the environment does not hold, such as a timeout.
     *
     * @throws IllegalStateException when the variables the provider needs are not set, saying which
     * @throws IllegalArgumentException for another name, or a setting {@code http} made that the builder refuses
     */
    public static ProviderChoice named(String name, Map<String, String> environment, Supplier<LlmProvider> scripted,
            Consumer<HttpProviderBuilder<?>> http) {
        return switch (name) {
            case OPENAI -> {
                OpenAiCompatible.Builder builder = OpenAiCompatible.builderFromEnv(environment);
                http.accept(builder);
                OpenAiCompatible provider = builder.build();
                yield new ProviderChoice(provider, "OpenAI-compatible (" + provider.name() + "), model "
                        + provider.defaultModel(), false);
            }
            case ANTHROPIC -> {
                Anthropic.Builder builder = Anthropic.builderFromEnv(environment);
                http.accept(builder);
                Anthropic provider = builder.build();
                yield new ProviderChoice(provider, "Anthropic, model " + provider.defaultModel(), false);
            }
            case SCRIPTED -> new ProviderChoice(scripted.get(), "scripted (offline, no API key needed)", true);
            default -> throw new IllegalArgumentException("unknown provider '" + name + "': use " + SCRIPTED + ", "
                    + OPENAI + " or " + ANTHROPIC);
        };
    }

    private static boolean isSet(Map<String, String> environment, String name) {
        String value = environment.get(name);
        return value != null && !value.isBlank();
    }

    /** Closes the provider's HTTP client, if it has one. */
    @Override
    public void close() {
        if (provider instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                throw new IllegalStateException("cannot close the " + provider.name() + " provider", e);
            }
        }
    }
}
