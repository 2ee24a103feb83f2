package dev.orchestrator.opentelemetry;

import dev.orchestrator.api.ChatRequest;
import dev.orchestrator.api.ChatResponse;
import dev.orchestrator.api.LlmException;
import dev.orchestrator.api.LlmProvider;
import dev.orchestrator.api.StreamListener;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The user's provider, noting for each model call what only the call itself knows: when its first attempt went
 * out and its last came back, the provider, the request's parameters and, when contents are captured, the request.
 * The listener turns these notes into the call's span when the journaled event says how the call ended, so that
 * every span is built on one thread. It sits inside the engine's retry layer: each attempt passes through here.
 */
final class TracedProvider implements LlmProvider {

    /** What the provider saw of one call, by its task and turn. */
    record Call(Instant start, Instant end, String provider, ChatRequest request) {
    }

    private final LlmProvider delegate;
    private final InstantSource clock;
    private final Map<String, Call> calls;
    private final TelemetryMetrics metrics;

    TracedProvider(LlmProvider delegate, InstantSource clock, Map<String, Call> calls, TelemetryMetrics metrics) {
        this.delegate = delegate;
        this.clock = clock;
        this.calls = calls;
        this.metrics = metrics;
    }

    /** The key the listener finds a call by: its task and its turn, which its journaled call id ends with. */
    static String key(String taskId, String turn) {
        return taskId + "/" + turn;
    }

    /**
     * The conventions' {@code gen_ai.provider.name}: {@code openai} for every server that speaks OpenAI's API (the
     * provider names those {@code openai-compatible:<host>}), {@code anthropic} for Anthropic's, else the name.
     */
    static String conventionName(String provider) {
        return provider.startsWith("openai") ? "openai" : provider.startsWith("anthropic") ? "anthropic" : provider;
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public String defaultModel() {
        return delegate.defaultModel();
    }

    @Override
    public Optional<String> quotaId() {
        return delegate.quotaId();
    }

    @Override
    public Set<String> credentials() {
        return delegate.credentials();
    }

    @Override
    public ChatResponse chat(ChatRequest request) {
        return attempt(request, () -> delegate.chat(request));
    }

    @Override
    public ChatResponse stream(ChatRequest request, StreamListener listener) {
        return attempt(request, () -> delegate.stream(request, listener));
    }

    private ChatResponse attempt(ChatRequest request, Supplier<ChatResponse> send) {
        String model = request.model().orElse(delegate.defaultModel());
        Optional<String> key = request.metadata(ChatRequest.TASK).flatMap(task ->
                request.metadata(ChatRequest.TURN).map(turn -> key(task, turn)));
        String provider = conventionName(delegate.name());
        Instant start = clock.instant();
        key.ifPresent(k -> calls.merge(k, new Call(start, start, provider, request),
                // a later attempt of the same call: the call began with its first
                (first, next) -> first));
        metrics.callStarted(provider, model);
        try {
            return send.get();
        } catch (LlmException e) {
            metrics.attemptFailed(provider, model, e);
            throw e;
        } finally {
            metrics.callEnded(provider, model);
            Instant end = clock.instant();
            key.ifPresent(k -> calls.computeIfPresent(k, (ignored, call) ->
                    new Call(call.start(), end, call.provider(), call.request())));
        }
    }

    @Override
    public String toString() {
        return "traced " + delegate;
    }
}
