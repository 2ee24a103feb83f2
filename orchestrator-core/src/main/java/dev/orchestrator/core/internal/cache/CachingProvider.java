package dev.orchestrator.core.internal.cache;

import dev.orchestrator.api.ChatRequest;
import dev.orchestrator.api.ChatResponse;
import dev.orchestrator.api.ForwardingProvider;
import dev.orchestrator.api.LlmProvider;
import dev.orchestrator.api.MissionStoppedException;
import dev.orchestrator.api.ResponseCache;
import dev.orchestrator.api.StreamListener;
import dev.orchestrator.api.ToolCall;
import dev.orchestrator.api.Usage;
import java.util.LinkedHashMap;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;

/**
 * A provider that answers a request identical to an earlier one from memory ({@link ResponseCache}) and makes one
 * call for identical requests in flight at once (single flight): the first caller calls, the others wait for its
 * future and share the answer, or its failure, which is not kept. Answers given without a call of their own carry
 * zero usage, since nobody paid for them. It sits outside the retry layer, so a call it saves takes no slot of the
 * rate limiter either.
 */
public final class CachingProvider extends ForwardingProvider {

    private final ResponseCache bounds;
    private final ConcurrentMap<Key, CompletableFuture<ChatResponse>> inFlight = new ConcurrentHashMap<>();
    /** Access order: the eldest entry is the one used longest ago. Guarded by itself. */
    private final LinkedHashMap<Key, ChatResponse> answers = new LinkedHashMap<>(16, 0.75f, true);
    private long bytes;

    /** Caches {@code delegate}'s answers within {@code bounds}. */
    public CachingProvider(LlmProvider delegate, ResponseCache bounds) {
        super(delegate);
        this.bounds = bounds;
    }

    @Override
    public ChatResponse chat(ChatRequest request) {
        return answer(request, delegate::chat, null);
    }

    @Override
    public ChatResponse stream(ChatRequest request, StreamListener listener) {
        return answer(request, sent -> delegate.stream(sent, listener), listener);
    }

    /**
     * The answer to {@code request}: kept, shared with an identical call in flight, or from {@code call}; a
     * {@code listener} is told a shared answer the way {@link LlmProvider#stream}'s default does.
     */
    private ChatResponse answer(ChatRequest request, Function<ChatRequest, ChatResponse> call,
            StreamListener listener) {
        String model = request.model().orElse(delegate.defaultModel());
        // the engine hashed the request it journals; hashing it again would only cost time
        Key key = new Key(request.metadata(RequestKey.METADATA).orElseGet(() -> RequestKey.of(request, model).hex()),
                model);
        Optional<ChatResponse> kept = kept(key);
        if (kept.isPresent()) {
            return told(kept.get(), listener);
        }
        CompletableFuture<ChatResponse> mine = new CompletableFuture<>();
        CompletableFuture<ChatResponse> leader = inFlight.putIfAbsent(key, mine);
        if (leader != null) {
            return told(unpaid(await(leader)), listener);
        }
        try {
            // a leader that finished between the lookup and our claim has left its answer here
            Optional<ChatResponse> late = kept(key);
            ChatResponse response = late.isPresent() ? late.get() : call.apply(request);
            if (late.isEmpty()) {
                keep(key, response);
            }
            mine.complete(response);
            return late.isPresent() ? told(response, listener) : response;
        } catch (RuntimeException | Error e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            inFlight.remove(key, mine);
        }
    }

    private Optional<ChatResponse> kept(Key key) {
        synchronized (answers) {
            return Optional.ofNullable(answers.get(key));
        }
    }

    /** Keeps {@code response} as those who did not pay for it get it, so that a hit allocates nothing. */
    private void keep(Key key, ChatResponse response) {
        long size = sizeOf(response);
        if (size > bounds.maxBytes()) {
            return;
        }
        synchronized (answers) {
            ChatResponse previous = answers.put(key, unpaid(response));
            bytes += size - (previous == null ? 0 : sizeOf(previous));
            var eldest = answers.entrySet().iterator();
            while (answers.size() > bounds.maxEntries() || bytes > bounds.maxBytes()) {
                bytes -= sizeOf(eldest.next().getValue());
                eldest.remove();
            }
        }
    }

    /**
     * A request's key ({@link RequestKey#hex()}, as the engine passes it) and the model it goes to, which the
     * engine's key leaves out when the agent did not set it.
     */
    private record Key(String request, String model) {
    }

    private static ChatResponse await(CompletableFuture<ChatResponse> leader) {
        try {
            return leader.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MissionStoppedException("interrupted while waiting for an identical model call in flight");
        } catch (ExecutionException e) {
            // the leader's failure, as the leader saw it: not kept, so the next identical request calls again
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw (Error) e.getCause();
        }
    }

    /** {@code answer}, told to its listener as a non-streaming answer. */
    private static ChatResponse told(ChatResponse answer, StreamListener listener) {
        if (listener != null) {
            for (ToolCall call : answer.toolCalls()) {
                listener.onToolCallStarted(call.id(), call.name());
            }
            if (!answer.text().isEmpty()) {
                listener.onText(answer.text());
            }
        }
        return answer;
    }

    /** The answer as one who did not pay for it gets it: zero usage, since nobody paid for it again. */
    private static ChatResponse unpaid(ChatResponse response) {
        return new ChatResponse(response.text(), response.toolCalls(), response.stopReason(), Usage.ZERO,
                response.model(), response.rateLimits(), response.reasoning());
    }

    /** Roughly the bytes an answer holds: two per character of its strings. */
    private static long sizeOf(ChatResponse response) {
        long chars = response.text().length() + response.reasoning().length() + response.model().length();
        for (ToolCall call : response.toolCalls()) {
            chars += call.id().length() + call.name().length() + call.arguments().length();
        }
        return 2 * chars;
    }
}
