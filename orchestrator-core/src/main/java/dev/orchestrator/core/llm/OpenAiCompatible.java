package dev.orchestrator.core.llm;

import dev.orchestrator.api.ChatRequest;
import dev.orchestrator.api.ChatResponse;
import dev.orchestrator.api.LlmException;
import dev.orchestrator.api.LlmProvider;
import dev.orchestrator.api.StreamListener;
import dev.orchestrator.core.internal.llm.ErrorClassifier;
import dev.orchestrator.core.internal.llm.OpenAiWire;
import dev.orchestrator.core.internal.llm.ProviderHttp;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A model behind OpenAI's Chat Completions API: OpenAI itself and the many servers that speak its dialect (Ollama's
 * {@code /v1}, vLLM, llama.cpp's server, LM Studio, OpenRouter, gateways).
 *
 * <pre>{@code
 * LlmProvider openai = OpenAiCompatible.fromEnv();          // OPENAI_API_KEY, OPENAI_BASE_URL, OPENAI_MODEL
 * LlmProvider ollama = OpenAiCompatible.builder()
 *     .baseUrl("http://localhost:11434/v1")
 *     .model("qwen2.5-coder")
 *     .build();                                              // local servers need no key
 * }</pre>
 *
 * <p>Each call is one HTTP request: the provider never retries (the engine's resilience layer does, so that its
 * limiter sees every 429) and never puts the API key into an exception or {@link #toString()}. A provider that
 * created its own {@link HttpClient} closes it in {@link #close()}.
 */
public final class OpenAiCompatible implements LlmProvider, AutoCloseable {

    /** OpenAI's own endpoint. */
    public static final String DEFAULT_BASE_URL = "https://api.openai.com/v1";
    /** The model used when neither the builder nor the request names one. */
    public static final String DEFAULT_MODEL = "gpt-4o-mini";

    private final String name;
    private final String quotaId;
    private final Set<String> credentials;
    private final URI endpoint;
    private final String model;
    private final OpenAiWire.Options options;
    private final ProviderHttp http;

    private OpenAiCompatible(Builder builder, URI endpoint) {
        this.endpoint = endpoint;
        this.model = builder.model;
        this.options = new OpenAiWire.Options(Optional.ofNullable(builder.parallelToolCalls),
                Optional.ofNullable(builder.promptCacheKey), builder.legacyMaxTokens, builder.sendTemperature,
                builder.invalidArgumentsAsEmptyObject);
        this.name = builder.baseUrl.equals(DEFAULT_BASE_URL) ? "openai"
                : "openai-compatible:" + endpoint.getAuthority();
        this.quotaId = builder.quotaId();
        this.credentials = builder.apiKey == null ? Set.of() : Set.of(builder.apiKey);
        this.http = builder.openHttp(endpoint, builder.apiKey == null ? Map.of()
                : Map.of("authorization", "Bearer " + builder.apiKey), "the OpenAI-compatible server at "
                + builder.baseUrl, "OPENAI_API_KEY", new ErrorClassifier.BaseUrl("OPENAI_BASE_URL or "
                + "OpenAiCompatible.Builder.baseUrl(...)", "the whole base URL as the server documents it, e.g. "
                + "ending in /v1 for most OpenAI-compatible servers"));
    }

    /** A builder that starts from OpenAI's endpoint and {@value #DEFAULT_MODEL}. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A provider configured from the process environment: {@code OPENAI_API_KEY}, {@code OPENAI_BASE_URL} and
     * {@code OPENAI_MODEL}.
     *
     * @throws IllegalStateException when the environment does not say enough, with what to set
     */
    public static OpenAiCompatible fromEnv() {
        return fromEnv(System.getenv());
    }

    /**
     * A provider configured from {@code env} as {@link #fromEnv()} reads the process environment. A base URL
     * without a key is fine (local servers need none), but then the model must be named too, as a local server has
     * no {@value #DEFAULT_MODEL}.
     *
     * @throws IllegalStateException when {@code env} does not say enough, with what to set
     */
    public static OpenAiCompatible fromEnv(Map<String, String> env) {
        return builderFromEnv(env).build();
    }

    /**
     * A builder set up from {@code env} as {@link #fromEnv(Map)} sets up its provider, for what the environment does
     * not hold: a timeout, a header.
     *
     * @throws IllegalStateException when {@code env} does not say enough, with what to set
     */
    public static Builder builderFromEnv(Map<String, String> env) {
        Optional<String> key = Settings.env(env, "OPENAI_API_KEY");
        Optional<String> baseUrl = Settings.baseUrl(env, "OPENAI_BASE_URL",
                DEFAULT_BASE_URL + " (OpenAI) or http://localhost:11434/v1 (Ollama)");
        Optional<String> model = Settings.env(env, "OPENAI_MODEL");
        if (key.isEmpty() && baseUrl.isEmpty()) {
            throw new IllegalStateException("OPENAI_API_KEY is not set: export it (or OPENAI_BASE_URL for a local "
                    + "server such as Ollama), or pass OpenAiCompatible.builder().apiKey(...)");
        }
        if (key.isEmpty() && baseUrl.filter(url -> ProviderHttp.endpoint(url, "").equals(
                ProviderHttp.endpoint(DEFAULT_BASE_URL, ""))).isPresent()) {
            throw new IllegalStateException("OPENAI_API_KEY is empty, and OPENAI_BASE_URL is OpenAI's, which needs "
                    + "a key: export OPENAI_API_KEY=sk-..., or set OPENAI_BASE_URL to a server that needs none");
        }
        if (model.isEmpty() && baseUrl.filter(url -> !url.equals(DEFAULT_BASE_URL)).isPresent()) {
            throw new IllegalStateException("OPENAI_MODEL is not set: the server at " + baseUrl.get()
                    + " needs a model name, e.g. export OPENAI_MODEL=llama3.2");
        }
        Builder builder = builder();
        key.ifPresent(builder::apiKey);
        baseUrl.ifPresent(builder::baseUrl);
        model.ifPresent(builder::model);
        return builder;
    }

    /** {@code openai} for OpenAI itself, else {@code openai-compatible:host:port}, so each server has its limiter. */
    @Override
    public String name() {
        return name;
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
        ProviderHttp.Answer answer = http.postForJson(OpenAiWire.request(request, model, options, false),
                json -> !json.path("choices").isEmpty(), "no choice");
        return OpenAiWire.response(answer.json(), answer.rateLimits());
    }

    /**
     * Sends {@code request} with {@code stream: true} and usage reporting, telling {@code listener} about text and
     * tool calls as they arrive.
     *
     * @throws LlmException classified as for {@link #chat}; {@link LlmException.Transient} when the stream breaks
     *     off, and the matching subtype for an error object inside a stream that began with 200
     */
    @Override
    public ChatResponse stream(ChatRequest request, StreamListener listener) {
        Objects.requireNonNull(listener, "listener");
        return http.postForStream(OpenAiWire.request(request, model, options, true),
                errors -> new OpenAiWire.Stream(listener, errors));
    }

    /** Closes the HTTP client if this provider created it; an injected one is left to its owner. */
    @Override
    public void close() {
        http.close();
    }

    /** The endpoint and model; never the key. */
    @Override
    public String toString() {
        return "OpenAiCompatible[" + endpoint + ", model=" + model + "]";
    }

    /** Builds an {@link OpenAiCompatible}; {@link #build()} checks every setting at once. */
    public static final class Builder extends HttpProviderBuilder<Builder> {
        private Boolean parallelToolCalls;
        private String promptCacheKey;
        private boolean legacyMaxTokens;
        private boolean invalidArgumentsAsEmptyObject;

        private Builder() {
            super(DEFAULT_BASE_URL, DEFAULT_MODEL);
        }

        @Override
        Builder self() {
            return this;
        }

        /** Sends {@code parallel_tool_calls} with requests that have tools; the server's default if not set. */
        public Builder parallelToolCalls(boolean parallel) {
            this.parallelToolCalls = parallel;
            return this;
        }

        /**
         * Sends {@code prompt_cache_key}, which helps OpenAI route requests that share a prefix to the same prompt
         * cache; not sent if not set.
         */
        public Builder promptCacheKey(String key) {
            this.promptCacheKey = Objects.requireNonNull(key, "key");
            return this;
        }

        /**
         * Sends the output limit as {@code max_tokens}, for older servers that reject {@code max_completion_tokens}
         * (older vLLM, llama.cpp and gateways answer 400 to it); false by default, as OpenAI's reasoning models
         * reject {@code max_tokens} instead.
         */
        public Builder legacyMaxTokens(boolean legacy) {
            this.legacyMaxTokens = legacy;
            return this;
        }

        /**
         * Sends a model's earlier tool-call arguments that are not a JSON object back as {@code {}} rather than as
         * the model wrote them; false by default. Some vLLM and SGLang chat templates parse the arguments of every
         * earlier call and fail the whole request on invalid ones. The model still learns what was wrong: the error
         * result of that call says so.
         */
        public Builder invalidArgumentsAsEmptyObject(boolean empty) {
            this.invalidArgumentsAsEmptyObject = empty;
            return this;
        }

        /**
         * The provider.
         *
         * @throws IllegalStateException when a setting is missing or wrong, saying which
         */
        public OpenAiCompatible build() {
            URI endpoint;
            try {
                endpoint = ProviderHttp.endpoint(baseUrl, "/chat/completions");
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(e.getMessage() + "; pass OpenAiCompatible.builder().baseUrl(...) "
                        + "such as " + DEFAULT_BASE_URL + " or http://localhost:11434/v1", e);
            }
            if (apiKey == null && baseUrl.equals(DEFAULT_BASE_URL)) {
                throw new IllegalStateException("OpenAI needs an API key: pass OpenAiCompatible.builder().apiKey(...)"
                        + " or use OpenAiCompatible.fromEnv() with OPENAI_API_KEY set");
            }
            checkCommon();
            return new OpenAiCompatible(this, endpoint);
        }
    }
}
