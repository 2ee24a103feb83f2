package dev.orchestrator.core.llm;

import dev.orchestrator.api.LlmException;
import dev.orchestrator.core.internal.limit.LimiterKey;
import dev.orchestrator.core.internal.llm.ErrorClassifier;
import dev.orchestrator.core.internal.llm.ProviderHttp;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The settings every HTTP provider has: where it sends, with which key and model, and how long it waits. The
 * builders of {@link OpenAiCompatible} and {@link Anthropic} extend it with what is theirs.
 *
 * @param <B> the concrete builder, returned by every setter so that calls chain
 */
public abstract sealed class HttpProviderBuilder<B extends HttpProviderBuilder<B>>
        permits OpenAiCompatible.Builder, Anthropic.Builder {

    String baseUrl;
    String apiKey;
    String model;
    final Map<String, String> headers = new LinkedHashMap<>();
    Duration connectTimeout = Duration.ofSeconds(10);
    Duration requestTimeout = Duration.ofMinutes(10);
    Duration streamIdleTimeout = Duration.ofMinutes(5);
    HttpClient httpClient;
    InstantSource clock = InstantSource.system();
    boolean sendTemperature = true;

    HttpProviderBuilder(String defaultBaseUrl, String defaultModel) {
        this.baseUrl = defaultBaseUrl;
        this.model = defaultModel;
    }

    abstract B self();

    /** The API's base URL; the provider's own by default. */
    public B baseUrl(String baseUrl) {
        this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl").strip();
        return self();
    }

    /** The API key, sent as the API expects and nowhere else: never logged, never put in an exception. */
    public B apiKey(String apiKey) {
        this.apiKey = Objects.requireNonNull(apiKey, "apiKey");
        return self();
    }

    /** The model for requests that do not name one; the provider's default if not set. */
    public B model(String model) {
        this.model = Objects.requireNonNull(model, "model");
        return self();
    }

    /** A header sent with every request, such as an organisation id, a beta flag or a gateway's routing header. */
    public B header(String name, String value) {
        headers.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
        return self();
    }

    /** How long to wait for a connection; 10 seconds by default. Ignored with an injected client. */
    public B connectTimeout(Duration timeout) {
        this.connectTimeout = Objects.requireNonNull(timeout, "timeout");
        return self();
    }

    /**
     * How long to wait for the response to begin, and for a whole (not streamed) answer to have arrived: 10 minutes
     * by default, as a long non-streamed answer only begins when it is complete. A non-streamed answer that has not
     * arrived whole by then (a server or proxy that stalled part-way through it) fails as
     * {@link LlmException.Transient}, as one that never began does.
     */
    public B requestTimeout(Duration timeout) {
        this.requestTimeout = Objects.requireNonNull(timeout, "timeout");
        return self();
    }

    /**
     * How long a streamed answer may send nothing before it is given up as {@link LlmException.Transient}; 5
     * minutes by default. Servers that stall mid-answer would otherwise hang the call; reasoning models that think
     * silently before their first token may need more.
     */
    public B streamIdleTimeout(Duration timeout) {
        this.streamIdleTimeout = Objects.requireNonNull(timeout, "timeout");
        return self();
    }

    /** The client to send with, for tests or a shared connection pool; the caller keeps ownership. */
    public B httpClient(HttpClient client) {
        this.httpClient = Objects.requireNonNull(client, "client");
        return self();
    }

    /** The clock that turns rate-limit reset times into waits; the system clock by default. */
    public B clock(InstantSource clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return self();
    }

    /**
     * Whether to send a request's {@link dev.orchestrator.api.ChatRequest#temperature() temperature}; true by
     * default. Turn it off for models that reject it (newer Claude models with extended thinking, OpenAI's
     * reasoning models): they answer 400 to any request that has one.
     */
    public B sendTemperature(boolean send) {
        this.sendTemperature = send;
        return self();
    }

    /**
     * The HTTP client side of the provider: {@code providerHeaders} (its authentication and version headers) with
     * the user's headers, and errors classified with the key removed from every message.
     *
     * @param server the server as error messages name it
     * @param keyVariable the environment variable that holds the key, for messages that say what to fix
     * @param baseUrl the environment variable and the builder method that set the base URL, likewise, and what a
     *     right one looks like
     */
    ProviderHttp openHttp(URI endpoint, Map<String, String> providerHeaders, String server, String keyVariable,
            ErrorClassifier.BaseUrl baseUrl) {
        Map<String, String> all = new LinkedHashMap<>(providerHeaders);
        all.putAll(headers);
        // named as the SDK names a setting, OpenAiCompatible.Builder.requestTimeout(...), which the CLI rewords
        String requestTimeoutSetting = getClass().getEnclosingClass().getSimpleName() + ".Builder.requestTimeout(...)";
        ErrorClassifier errors = new ErrorClassifier(server, keyVariable, baseUrl,
                apiKey == null ? "" : apiKey,
                new ErrorClassifier.Timeouts(connectTimeout, requestTimeout, requestTimeoutSetting), clock);
        return ProviderHttp.open(endpoint, all, connectTimeout, requestTimeout, streamIdleTimeout, httpClient, clock,
                errors);
    }

    /**
     * The provider's quota id: a hash of the key, never the key. Without a key (a local server) it is empty, as
     * the provider's name, which holds the server's host and port, already tells that quota apart.
     */
    String quotaId() {
        return apiKey == null ? "" : LimiterKey.keyIdOf(apiKey);
    }

    /**
     * Checks the settings every provider needs.
     *
     * @throws IllegalStateException naming the setting that is wrong
     */
    void checkCommon() {
        checkPositive("connectTimeout", connectTimeout);
        checkPositive("requestTimeout", requestTimeout);
        checkPositive("streamIdleTimeout", streamIdleTimeout);
        if (model.isBlank()) {
            throw new IllegalStateException("model must not be blank");
        }
    }

    private static void checkPositive(String name, Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalStateException(name + " must be positive, was " + timeout);
        }
    }
}
