package dev.orchestrator.core.llm;

import dev.orchestrator.api.ChatRequest;
import dev.orchestrator.api.ChatResponse;
import dev.orchestrator.api.LlmException;
import dev.orchestrator.api.LlmProvider;
import dev.orchestrator.api.Message;
import dev.orchestrator.api.ToolCall;
import dev.orchestrator.api.Usage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A provider that answers from a script instead of a model, for tests and offline runs. Missions on it run the real
 * engine, agents and tools; only the model's words are fixed in advance.
 *
 * <p>Answers are chosen by the {@link ChatRequest#metadata() metadata} the engine puts on every call (the agent's
 * role and the task's id) and by the turn, the number of assistant messages already in the conversation. The
 * provider keeps no conversation state, so concurrent calls and resumed missions get the same answers.
 *
 * <pre>{@code
 * import static dev.orchestrator.core.llm.ScriptedReplies.*;
 *
 * ScriptedProvider provider = ScriptedProvider.builder()
 *     .onTask("planner", "plan", plan(todo("todo-1", "Write a.txt").writes("a.txt")))
 *     .onTask("worker", "todo-1#1", writeFile("a.txt", "hi"), text("wrote a.txt"))
 *     .build();
 * }</pre>
 *
 * <p>{@link ScriptedReplies} writes the answers of the built-in agents and the tool calls; {@link #toolCall} takes
 * arguments as JSON text, for a reply that must be exactly so (invalid JSON, say).</p>
 */
public final class ScriptedProvider implements LlmProvider {

    private static final String MODEL = "scripted";

    private final List<Rule> rules;
    private final Duration latency;
    private final Usage usagePerCall;
    private final AtomicLong calls = new AtomicLong();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger peakInFlight = new AtomicInteger();

    private ScriptedProvider(Builder builder) {
        this.rules = List.copyOf(builder.rules);
        this.latency = builder.latency;
        this.usagePerCall = builder.usagePerCall;
    }

    /** A builder for a script. */
    public static Builder builder() {
        return new Builder();
    }

    /** A reply of plain text that ends the turn. */
    public static Function<ChatRequest, ChatResponse> text(String text) {
        return request -> ChatResponse.ofText(text, Usage.ZERO, MODEL);
    }

    /** A reply that calls one tool with {@code argumentsJson}. */
    public static Function<ChatRequest, ChatResponse> toolCall(String tool, String argumentsJson) {
        return toolCalls(new ToolCall("", tool, argumentsJson));
    }

    /**
     * A reply that calls several tools at once. Calls without an id get one made from the request's task and
     * turn, as real providers give every call a unique id.
     */
    public static Function<ChatRequest, ChatResponse> toolCalls(ToolCall... calls) {
        List<ToolCall> template = List.of(calls);
        return request -> {
            List<ToolCall> withIds = new ArrayList<>(template.size());
            for (int i = 0; i < template.size(); i++) {
                ToolCall call = template.get(i);
                String id = call.id().isEmpty()
                        ? "call_" + request.metadata(ChatRequest.TASK).orElse("x") + "_" + turnOf(request) + "_" + i
                        : call.id();
                withIds.add(new ToolCall(id, call.name(), call.arguments()));
            }
            return ChatResponse.ofToolCalls(withIds, Usage.ZERO, MODEL);
        };
    }

    /** The number of assistant messages in the request: 0 for the first call of a conversation. */
    public static int turnOf(ChatRequest request) {
        return (int) request.messages().stream().filter(Message.Assistant.class::isInstance).count();
    }

    @Override
    public String name() {
        return "scripted";
    }

    @Override
    public String defaultModel() {
        return MODEL;
    }

    /** None: a script has no quota, so its calls are neither rate limited nor retried. */
    @Override
    public Optional<String> quotaId() {
        return Optional.empty();
    }

    @Override
    public ChatResponse chat(ChatRequest request) {
        calls.incrementAndGet();
        peakInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        try {
            if (!latency.isZero()) {
                sleep(latency);
            }
            ChatResponse scripted = answer(request);
            return new ChatResponse(scripted.text(), scripted.toolCalls(), scripted.stopReason(),
                    scripted.usage().totalTokens() == 0 ? usagePerCall : scripted.usage(), scripted.model(),
                    scripted.rateLimits());
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private ChatResponse answer(ChatRequest request) {
        for (Rule rule : rules) {
            if (rule.matches.test(request)) {
                return rule.reply.apply(request);
            }
        }
        throw new LlmException.InvalidRequest("the script has no answer for role="
                + request.metadata(ChatRequest.ROLE).orElse("?") + " task="
                + request.metadata(ChatRequest.TASK).orElse("?") + " turn=" + turnOf(request)
                + "; add one with ScriptedProvider.builder().onTask(...) or .on(...)", 400);
    }

    private static void sleep(Duration latency) {
        try {
            Thread.sleep(latency);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LlmException.Transient("interrupted while waiting for the scripted reply", 0, e);
        }
    }

    /** How many calls this provider has answered or refused so far. */
    public long callCount() {
        return calls.get();
    }

    /** The most calls that were in progress at the same moment. */
    public int peakConcurrentCalls() {
        return peakInFlight.get();
    }

    private record Rule(Predicate<ChatRequest> matches, Function<ChatRequest, ChatResponse> reply) {
    }

    /** Builds a {@link ScriptedProvider}. Rules are tried in the order they were added; the first match answers. */
    public static final class Builder {
        private final List<Rule> rules = new ArrayList<>();
        private Duration latency = Duration.ZERO;
        private Usage usagePerCall = Usage.of(100, 20);

        private Builder() {
        }

        /**
         * Answers the calls of task {@code taskId} made by an agent of {@code role}: the first reply at turn 0,
         * the second at turn 1, and so on. A turn beyond the last reply gets no answer from this rule.
         */
        @SafeVarargs
        @SuppressWarnings("varargs") // the array is only read, into a list of its own
        public final Builder onTask(String role, String taskId, Function<ChatRequest, ChatResponse>... turns) {
            List<Function<ChatRequest, ChatResponse>> replies = Arrays.stream(turns).toList();
            return on(request -> request.metadata(ChatRequest.ROLE).filter(role::equals).isPresent()
                            && request.metadata(ChatRequest.TASK).filter(taskId::equals).isPresent()
                            && turnOf(request) < replies.size(),
                    request -> replies.get(turnOf(request)).apply(request));
        }

        /** Answers every request of an agent of {@code role} (see {@link ChatRequest#ROLE}) with {@code reply}. */
        public Builder onRole(String role, Function<ChatRequest, ChatResponse> reply) {
            Objects.requireNonNull(role, "role");
            return on(request -> request.metadata(ChatRequest.ROLE).filter(role::equals).isPresent(), reply);
        }

        /** Answers every request that {@code matches} with {@code reply}. */
        public Builder on(Predicate<ChatRequest> matches, Function<ChatRequest, ChatResponse> reply) {
            rules.add(new Rule(Objects.requireNonNull(matches, "matches"), Objects.requireNonNull(reply, "reply")));
            return this;
        }

        /** How long each call takes, as a model would; none by default. The wait can be interrupted. */
        public Builder latency(Duration latency) {
            if (latency.isNegative()) {
                throw new IllegalArgumentException("latency must not be negative, was " + latency);
            }
            this.latency = latency;
            return this;
        }

        /** The usage reported for replies that do not set their own; 100 input and 20 output tokens by default. */
        public Builder usagePerCall(Usage usage) {
            this.usagePerCall = Objects.requireNonNull(usage, "usage");
            return this;
        }

        /** The provider. */
        public ScriptedProvider build() {
            return new ScriptedProvider(this);
        }
    }
}
