package dev.orchestrator.benchmarks.frugal;

import dev.orchestrator.api.ChatRequest;
import dev.orchestrator.api.ChatResponse;
import dev.orchestrator.api.ForwardingProvider;
import dev.orchestrator.api.LlmProvider;
import dev.orchestrator.api.ModelPrice;
import dev.orchestrator.api.Usage;
import dev.orchestrator.core.internal.llm.AnthropicWire;
import dev.orchestrator.core.internal.llm.OpenAiWire;
import dev.orchestrator.core.llm.ModelPrices;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A provider in front of the scripted model that bills every call as OpenAI and as Anthropic would: it lays the
 * request out in each wire format, runs it through {@link PromptCaches}, and adds up the calls per role and the
 * tokens as {@link Usage} (uncached input, output, cache reads, cache writes). Prices are the list prices of
 * {@link ModelPrices#defaults()}: {@value #OPENAI_MODEL} ($2.50 per million input tokens, $1.25 cached, $10 output)
 * and {@value #ANTHROPIC_MODEL} ($3 input, $0.30 cache read, $3.75 5-minute cache write, $15 output).
 */
final class PromptCacheMeter extends ForwardingProvider {

    static final String OPENAI_MODEL = "gpt-4o";
    static final String ANTHROPIC_MODEL = "claude-sonnet-4";

    private final PromptCaches caches;
    private final boolean breakpoints;
    private final Map<String, Long> callsByRole = new TreeMap<>();
    private final List<String> callKeys = new ArrayList<>();
    private Usage openAi = Usage.ZERO;
    private Usage anthropic = Usage.ZERO;
    private final InputBreakdown openAiBreakdown = new InputBreakdown(
            Tally.ratio(openAiPrice().cacheReadPerMillion(), openAiPrice().inputPerMillion()));

    /**
     * @param breakpoints whether Anthropic sees the {@code cache_control} breakpoints the wire format marks (without
     *     them it caches nothing)
     */
    PromptCacheMeter(LlmProvider model, PromptCaches caches, boolean breakpoints) {
        super(model);
        this.caches = caches;
        this.breakpoints = breakpoints;
    }

    @Override
    public synchronized ChatResponse chat(ChatRequest request) {
        String role = request.metadata(ChatRequest.ROLE).orElse("none");
        callsByRole.merge(role, 1L, Long::sum);
        callKeys.add(request.metadata(ChatRequest.TASK).orElse("") + "/" + request.metadata(ChatRequest.TURN)
                .orElse(""));
        ChatResponse response = delegate.chat(request);
        long output = (response.text().length() + response.toolCalls().stream()
                .mapToLong(call -> call.arguments().length() + call.name().length()).sum()) / 4 + 1;
        ObjectNode openAiBody = OpenAiWire.request(request, defaultModel(), OpenAiWire.Options.DEFAULT, false);
        PromptCaches.Input openAiInput = caches.openAi(openAiPrompt(openAiBody));
        openAiBreakdown.add(role, openAiBody, openAiInput);
        openAi = openAi.plus(usage(openAiInput, output));
        List<Integer> points = new ArrayList<>();
        String prompt = anthropicPrompt(request, points);
        anthropic = anthropic.plus(usage(caches.anthropic(prompt, breakpoints ? points : List.of()), output));
        return response;
    }

    private static Usage usage(PromptCaches.Input input, long output) {
        return new Usage(input.uncached(), output, input.read(), input.written());
    }

    /** What was metered so far. */
    synchronized Tally tally() {
        return new Tally(new TreeMap<>(callsByRole), openAi, anthropic);
    }

    /** Where the input OpenAI billed went, by role, part of the request and turn, as Markdown. */
    synchronized String openAiBreakdown() {
        return openAiBreakdown.markdown();
    }

    private static ModelPrice openAiPrice() {
        return ModelPrices.defaults().priceOf(OPENAI_MODEL).orElseThrow();
    }

    /** The task and turn of every call so far ({@code task/turn}), in order. */
    synchronized List<String> callKeys() {
        return List.copyOf(callKeys);
    }

    /** OpenAI's prompt in the order it is read: the tools, then the messages (the system prompt first). */
    private static String openAiPrompt(ObjectNode body) {
        StringBuilder text = new StringBuilder();
        text.append(body.path("tools"));
        for (JsonNode message : body.path("messages")) {
            text.append(message);
        }
        return text.toString();
    }

    /**
     * Anthropic's prompt in the order it is read (tools, system, messages), the breakpoints' markers taken out and
     * their offsets added to {@code points}.
     */
    private String anthropicPrompt(ChatRequest request, List<Integer> points) {
        ObjectNode body = AnthropicWire.request(request, defaultModel(), true, false);
        StringBuilder text = new StringBuilder();
        for (JsonNode tool : body.path("tools")) {
            block(tool, text, points);
        }
        for (JsonNode block : body.path("system")) {
            block(block, text, points);
        }
        for (JsonNode message : body.path("messages")) {
            text.append(message.path("role").asString());
            for (JsonNode block : message.path("content")) {
                block(block, text, points);
            }
        }
        return text.toString();
    }

    private static void block(JsonNode block, StringBuilder text, List<Integer> points) {
        ObjectNode copy = (ObjectNode) block.deepCopy();
        boolean marked = copy.remove("cache_control") != null;
        text.append(copy);
        if (marked) {
            points.add(text.length());
        }
    }

    /** Calls per role and the tokens of every call as each provider bills them. */
    record Tally(Map<String, Long> callsByRole, Usage openAi, Usage anthropic) {
        Tally {
            callsByRole = Map.copyOf(callsByRole);
        }

        long calls() {
            return callsByRole.values().stream().mapToLong(Long::longValue).sum();
        }

        long calls(String role) {
            return callsByRole.getOrDefault(role, 0L);
        }

        /** Input tokens sent to {@code provider} ({@link #OPENAI_MODEL} or {@link #ANTHROPIC_MODEL}). */
        static long sent(Usage usage) {
            return usage.inputTokens() + usage.cacheReadTokens() + usage.cacheWriteTokens();
        }

        /** Input tokens weighted by their price relative to an uncached one. */
        static double billedUnits(String model, Usage usage) {
            ModelPrice price = ModelPrices.defaults().priceOf(model).orElseThrow();
            BigDecimal input = price.inputPerMillion();
            return usage.inputTokens() + usage.cacheReadTokens() * ratio(price.cacheReadPerMillion(), input)
                    + usage.cacheWriteTokens() * ratio(price.cacheWritePerMillion(), input);
        }

        static double dollars(String model, Usage usage) {
            return ModelPrices.defaults().cost(model, usage).orElseThrow().doubleValue();
        }

        static double ratio(BigDecimal price, BigDecimal input) {
            return price.divide(input, MathContext.DECIMAL64).doubleValue();
        }
    }
}
