package dev.orchestrator.core.llm;

import dev.orchestrator.api.ChatRequest;
import dev.orchestrator.api.ChatResponse;
import dev.orchestrator.api.LlmException;
import dev.orchestrator.api.LlmProvider;
import dev.orchestrator.api.StreamListener;
import dev.orchestrator.core.internal.llm.AnthropicWire;
import dev.orchestrator.core.internal.llm.ErrorClassifier;
import dev.orchestrator.core.internal.llm.ProviderHttp;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A Claude model behind Anthropic's Messages API.
 *
 * <pre>{@code
 * LlmProvider claude = Anthropic.fromEnv();   // ANTHROPIC_API_KEY, ANTHROPIC_BASE_URL, ANTHROPIC_MODEL
 * }</pre>
 *
 * <p>Requests mark the stable prefix (the tools, the system prompt and the first user message, where the engine puts
 * the brief or plan) with {@code cache_control} breakpoints, so that repeated calls read it from Anthropic's prompt
 * cache. Each call is one HTTP request: the provider never retries and never puts the API key into an exception or
 * {@link #toString()}. A provider that created its own {@link HttpClient} closes it in {@link #close()}.
 */
public final class Anthropic implements LlmProvider, AutoCloseable {

    /** Anthropic's endpoint, without the {@code /v1} that the provider appends. */
    public static final String DEFAULT_BASE_URL = "https://api.anthropic.com";
    /** The model used when neither the builder nor the request names one. */
    public static final String DEFAULT_MODEL = "claude-sonnet-4-5";
    /** The API version this provider speaks, sent as {@code anthropic-version}. */
    public static final String API_VERSION = "2023-06-01";

    private final URI endpoint;
    private final String model;
    private final String quotaId;
    private final Set<String> credentials;
    private final boolean sendTemperature;
    private final ProviderHttp http;

    private Anthropic(Builder builder, URI endpoint) {
        this.endpoint = endpoint;
        this.model = builder.model;
        this.sendTemperature = builder.sendTemperature;
        this.quotaId = builder.quotaId();
        this.credentials = builder.apiKey == null ? Set.of() : Set.of(builder.apiKey);
        // an ordered map: the key header first, as Anthropic's own clients send it
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("x-api-key", builder.apiKey);
        headers.put("anthropic-version", API_VERSION);
        this.http = builder.openHttp(endpoint, headers, "Anthropic at " + builder.baseUrl, "ANTHROPIC_API_KEY",
                new ErrorClassifier.BaseUrl("ANTHROPIC_BASE_URL or Anthropic.Builder.baseUrl(...)", "the base URL "
                        + "without /v1, which the provider appends, e.g. " + DEFAULT_BASE_URL));
    }

    /** A builder that starts from Anthropic's endpoint and {@value #DEFAULT_MODEL}. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A provider configured from the process environment: {@code ANTHROPIC_API_KEY}, and optionally
     * {@code ANTHROPIC_BASE_URL} and {@code ANTHROPIC_MODEL}.
     *
     * @throws IllegalStateException when {@code ANTHROPIC_API_KEY} is not set
     */
    public static Anthropic fromEnv() {
        return fromEnv(System.getenv());
    }

    /**
     * A provider configured from {@code env} as {@link #fromEnv()} reads the process environment.
     *
     * @throws IllegalStateException when {@code ANTHROPIC_API_KEY} is not set
     */
    public static Anthropic fromEnv(Map<String, String> env) {
        return builderFromEnv(env).build();
    }

    /**
     * A builder set up from {@code env} as {@link #fromEnv(Map)} sets up its provider, for what the environment does
     * not hold: a timeout, a header.
     *
     * @throws IllegalStateException when {@code ANTHROPIC_API_KEY} is not set
     */
    public static Builder builderFromEnv(Map<String, String> env) {
        Optional<String> key = Settings.env(env, "ANTHROPIC_API_KEY");
        if (key.isEmpty()) {
            throw new IllegalStateException(
                    "ANTHROPIC_API_KEY is not set: export it, or pass Anthropic.builder().apiKey(...)");
        }
        Builder builder = builder().apiKey(key.get());
        Settings.baseUrl(env, "ANTHROPIC_BASE_URL", DEFAULT_BASE_URL).ifPresent(builder::baseUrl);
        Settings.env(env, "ANTHROPIC_MODEL").ifPresent(builder::model);
        return builder;
    }

    /** {@code anthropic}. */
    @Override
    public String name() {
        return "anthropic";
    }

    @Override
    public String defaultModel() {
        return model;
    }

    /** A hash of the API key, never the key: missions with the same key share one rate limiter. */
    @Override
    public Optional<String> quotaId() {
        return Optional.of(quotaId);
    }

    @Override
    public Set<String> credentials() {
        return credentials;
    }

    /**
     * Sends {@code request} with {@code stream: false}.
     *
     * @throws LlmException classified from the status, error body and headers
     */
    @Override
    public ChatResponse chat(ChatRequest request) {
        // an empty content array is an answer (an empty turn); a body without one is not
        ProviderHttp.Answer answer = http.postForJson(AnthropicWire.request(request, model, sendTemperature, false),
                json -> json.path("content").isArray(), "no content");
        return AnthropicWire.response(answer.json(), answer.rateLimits());
    }

    /**
     * Sends {@code request} with {@code stream: true}, telling {@code listener} about text and tool calls as they
     * arrive.
     *
     * @throws LlmException classified as for {@link #chat}; {@link LlmException.Transient} when the stream breaks
     *     off, and the matching subtype for an {@code error} event inside a stream that began with 200
     */
    @Override
    public ChatResponse stream(ChatRequest request, StreamListener listener) {
        Objects.requireNonNull(listener, "listener");
        return http.postForStream(AnthropicWire.request(request, model, sendTemperature, true),
                errors -> new AnthropicWire.Stream(listener, errors));
    }

    /** Closes the HTTP client if this provider created it; an injected one is left to its owner. */
    @Override
    public void close() {
        http.close();
    }

    /** The endpoint and model; never the key. */
    @Override
    public String toString() {
        return "Anthropic[" + endpoint + ", model=" + model + "]";
    }

    /** Builds an {@link Anthropic} provider; {@link #build()} checks every setting at once. */
    public static final class Builder extends HttpProviderBuilder<Builder> {
        private Builder() {
            super(DEFAULT_BASE_URL, DEFAULT_MODEL);
        }

        @Override
        Builder self() {
            return this;
        }

        /**
         * The provider.
         *
         * @throws IllegalStateException when a setting is missing or wrong, saying which
         */
        public Anthropic build() {
            if (apiKey == null || apiKey.isBlank()) {
                throw new IllegalStateException("Anthropic needs an API key: pass Anthropic.builder().apiKey(...) "
                        + "or use Anthropic.fromEnv() with ANTHROPIC_API_KEY set");
            }
            URI endpoint;
            try {
                endpoint = ProviderHttp.endpoint(baseUrl, "/v1/messages");
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(e.getMessage() + "; pass Anthropic.builder().baseUrl(...) such as "
                        + DEFAULT_BASE_URL, e);
            }
            checkCommon();
            return new Anthropic(this, endpoint);
        }
    }
}
