package dev.orchestrator.benchmarks.frugal;

import com.github.benmanes.caffeine.cache.Caffeine;
import dev.orchestrator.api.ChatRequest;
import dev.orchestrator.api.ChatResponse;
import dev.orchestrator.api.LlmProvider;
import dev.orchestrator.api.Message;
import dev.orchestrator.api.ResponseCache;
import dev.orchestrator.api.ToolCall;
import dev.orchestrator.api.ToolSpec;
import dev.orchestrator.api.Usage;
import dev.orchestrator.core.internal.cache.CachingProvider;
import dev.orchestrator.core.internal.cache.RequestKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The response cache on a realistic Worker request (system prompt, 8 tools, 30 messages with tool calls and results
 * of a few KB): hashing it (from scratch, and as a conversation's next turn, whose Hasher saw the messages before),
 * a hit, a hit with 50 threads asking at once, and a miss (an instant in-process model, keeping the answer and
 * dropping the eldest); beside each, Caffeine 3.3.1 ({@code maximumSize(1000)}) on the same keys. The hits and
 * misses carry the key the engine passes ({@link RequestKey#METADATA}), as every request of a mission does.
 *
 * <pre>{@code java -cp "$CP" org.openjdk.jmh.Main ResponseCacheBenchmark}</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ResponseCacheBenchmark {

    /** A cache holding the answer to {@link #request}, and requests it never saw; Caffeine with the same. */
    @State(Scope.Benchmark)
    public static class Cache {
        final ChatRequest request = keyed(request(0));
        final CachingProvider cached = new CachingProvider(new Instant(), new ResponseCache(1000, 64L << 20));
        final ChatRequest[] misses = new ChatRequest[4096];
        final RequestKey key = RequestKey.of(request, "gpt-4.1");
        final RequestKey[] missKeys = new RequestKey[misses.length];
        final com.github.benmanes.caffeine.cache.Cache<RequestKey, ChatResponse> caffeine = Caffeine.newBuilder()
                .maximumSize(1000).build();
        final ChatResponse answer = new Instant().answer;
        int next;
        int nextCaffeine;

        /** Answers the request once, so that it is kept. */
        public Cache() {
            cached.chat(request);
            caffeine.put(key, answer);
            for (int i = 0; i < misses.length; i++) {
                misses[i] = keyed(request(i + 1));
                missKeys[i] = RequestKey.of(misses[i], "gpt-4.1");
            }
        }

        /** The request as the engine sends it: with the key it journaled. */
        private static ChatRequest keyed(ChatRequest request) {
            return request.toBuilder().metadata(RequestKey.METADATA, RequestKey.of(request, "").hex()).build();
        }
    }

    /** A conversation's Hasher that saw its first 28 messages, and two next turns that differ in the last two. */
    @State(Scope.Thread)
    public static class Conversation {
        final RequestKey.Hasher hasher = new RequestKey.Hasher();
        final ChatRequest[] turns = new ChatRequest[2];
        int next;

        /** Lets the Hasher see the messages both turns share. */
        public Conversation() {
            ChatRequest base = request(0);
            List<Message> shared = base.messages().subList(0, base.messages().size() - 2);
            for (int i = 0; i < turns.length; i++) {
                List<Message> messages = new ArrayList<>(shared);
                messages.add(new Message.Assistant("", List.of(new ToolCall("call_x" + i, "read_file",
                        "{\"path\":\"src/main/java/Other" + i + ".java\"}"))));
                messages.add(new Message.ToolResult("call_x" + i, "read_file", FILE + i, false));
                turns[i] = base.toBuilder().messages(messages).build();
            }
            hasher.key(turns[0], "gpt-4.1");
        }
    }

    /** The canonical hash of a 30-message request, from scratch. */
    @Benchmark
    public RequestKey hashRequest(Cache cache) {
        return RequestKey.of(cache.request, "gpt-4.1");
    }

    /**
     * The hash of a conversation's next call, 30 messages of which 28 the Hasher saw: what the engine pays per call.
     * It alternates between two such calls, so each hashes two new messages.
     */
    @Benchmark
    public RequestKey hashNextTurn(Conversation conversation) {
        conversation.next ^= 1;
        return conversation.hasher.key(conversation.turns[conversation.next], "gpt-4.1");
    }

    /** Caffeine's get of a key it holds. */
    @Benchmark
    public ChatResponse caffeineHit(Cache cache) {
        return cache.caffeine.get(cache.key, key -> cache.answer);
    }

    /** Caffeine's get of a key it holds, 50 threads at once. */
    @Benchmark
    @Threads(50)
    public ChatResponse caffeineHit50Threads(Cache cache) {
        return cache.caffeine.get(cache.key, key -> cache.answer);
    }

    /** Caffeine's get of keys it does not hold (cycling through 4,096 with room for 1,000), loaded at once. */
    @Benchmark
    public ChatResponse caffeineMiss(Cache cache) {
        RequestKey key = cache.missKeys[cache.nextCaffeine];
        cache.nextCaffeine = (cache.nextCaffeine + 1) % cache.missKeys.length;
        return cache.caffeine.get(key, k -> cache.answer);
    }

    /** A request answered from the cache. */
    @Benchmark
    public ChatResponse hit(Cache cache) {
        return cache.cached.chat(cache.request);
    }

    /** A request answered from the cache while 49 other threads ask the same. */
    @Benchmark
    @Threads(50)
    public ChatResponse hit50Threads(Cache cache) {
        return cache.cached.chat(cache.request);
    }

    /** A request never seen (cycling through 4,096 with room for 1,000): key, call, keep, drop the eldest. */
    @Benchmark
    public ChatResponse miss(Cache cache) {
        ChatRequest request = cache.misses[cache.next];
        cache.next = (cache.next + 1) % cache.misses.length;
        return cache.cached.chat(request);
    }

    private static final String FILE = "line of source code that is about sixty characters long....\n".repeat(50);

    /** A Worker's request after 14 tool calls: 30 messages whose last user line says {@code variant}. */
    static ChatRequest request(int variant) {
        List<Message> messages = new ArrayList<>();
        messages.add(Message.user("Todo todo-3: add input validation to the parser and its tests. " + variant));
        String file = FILE;
        for (int i = 0; i < 14; i++) {
            messages.add(new Message.Assistant("", List.of(new ToolCall("call_" + i, "read_file",
                    "{\"path\":\"src/main/java/Parser" + i + ".java\"}"))));
            messages.add(new Message.ToolResult("call_" + i, "read_file", file, false));
        }
        messages.add(Message.user("Continue. " + variant));
        List<ToolSpec> tools = new ArrayList<>();
        for (String name : List.of("read_file", "write_file", "edit_file", "list_files", "search", "run_command",
                "read_output", "stop_process")) {
            tools.add(new ToolSpec(name, "The " + name + " tool, described in a sentence or two as the built-ins are.",
                    "{\"type\":\"object\",\"properties\":{\"path\":{\"type\":\"string\"}},\"required\":[\"path\"]}"));
        }
        return ChatRequest.builder().model("gpt-4.1").system("You are a Worker. ".repeat(40)).messages(messages)
                .tools(tools).maxOutputTokens(4096).temperature(0).build();
    }

    /** A model that answers at once, in process. */
    private static final class Instant implements LlmProvider {
        final ChatResponse answer = ChatResponse.ofText("done", Usage.of(9000, 20), "gpt-4.1");

        @Override
        public String name() {
            return "instant";
        }

        @Override
        public String defaultModel() {
            return "gpt-4.1";
        }

        @Override
        public Optional<String> quotaId() {
            return Optional.empty();
        }

        @Override
        public ChatResponse chat(ChatRequest request) {
            return answer;
        }
    }
}
