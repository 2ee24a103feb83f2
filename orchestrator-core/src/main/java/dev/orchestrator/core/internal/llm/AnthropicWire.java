package dev.orchestrator.core.internal.llm;

import dev.orchestrator.api.ChatRequest;
import dev.orchestrator.api.ChatResponse;
import dev.orchestrator.api.LlmException;
import dev.orchestrator.api.Message;
import dev.orchestrator.api.RateLimits;
import dev.orchestrator.api.StopReason;
import dev.orchestrator.api.StreamListener;
import dev.orchestrator.api.ToolCall;
import dev.orchestrator.api.ToolSpec;
import dev.orchestrator.api.Usage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** The Anthropic Messages wire format: requests, whole answers and streamed events. */
public final class AnthropicWire {

    private AnthropicWire() {
    }

    /**
     * The JSON body for {@code request}. {@link ChatRequest#metadata()} is not sent.
     *
     * <p>Prompt-cache breakpoints go on the stable prefix, in the order the API reads it (tools, system, messages):
     * the last tool, the system block and the first user message, which holds the brief or plan; the fourth, the
     * most the API allows, on the last block of the conversation, which the next call of the agent repeats: that
     * call reads the whole conversation so far from the cache (at a tenth of the price) instead of sending it again.
     *
     * @param sendTemperature whether to send the request's temperature: newer models reject it with some settings
     */
    public static ObjectNode request(ChatRequest request, String defaultModel, boolean sendTemperature,
            boolean stream) {
        ObjectNode body = JsonTrees.object();
        body.put("model", request.model().orElse(defaultModel));
        body.put("max_tokens", request.maxOutputTokens());
        if (!request.tools().isEmpty()) {
            ArrayNode tools = body.putArray("tools");
            ObjectNode last = null;
            for (ToolSpec tool : request.tools()) {
                last = tools.addObject().put("name", tool.name()).put("description", tool.description());
                last.set("input_schema", WireSupport.schema(tool));
            }
            markCached(last);
        }
        if (!request.system().isEmpty()) {
            markCached(body.putArray("system").addObject().put("type", "text").put("text", request.system()));
        }
        body.set("messages", messages(request.messages()));
        if (sendTemperature) {
            request.temperature().ifPresent(t -> body.put("temperature", t));
        }
        body.put("stream", stream);
        return body;
    }

    private static ArrayNode messages(List<Message> messages) {
        ArrayNode out = JsonTrees.MAPPER.createArrayNode();
        ArrayNode toolResults = null;
        boolean firstUserMarked = false;
        for (Message message : messages) {
            switch (message) {
                case Message.User user -> {
                    ObjectNode block = JsonTrees.object().put("type", "text").put("text", user.text());
                    if (!firstUserMarked) {
                        markCached(block);
                        firstUserMarked = true;
                    }
                    out.addObject().put("role", "user").putArray("content").add(block);
                    toolResults = null;
                }
                case Message.Assistant assistant -> {
                    ArrayNode content = JsonTrees.MAPPER.createArrayNode();
                    if (!assistant.text().isEmpty()) {
                        content.addObject().put("type", "text").put("text", assistant.text());
                    }
                    for (ToolCall call : assistant.toolCalls()) {
                        content.addObject().put("type", "tool_use").put("id", call.id()).put("name", call.name())
                                .set("input", WireSupport.objectOrEmpty(call.arguments()));
                    }
                    // the API rejects empty content; consecutive user turns that result are merged by the API
                    if (!content.isEmpty()) {
                        out.addObject().put("role", "assistant").set("content", content);
                    }
                    toolResults = null;
                }
                case Message.ToolResult result -> {
                    // all results of one assistant turn must come back in a single user message
                    if (toolResults == null) {
                        toolResults = out.addObject().put("role", "user").putArray("content");
                    }
                    ObjectNode block = toolResults.addObject().put("type", "tool_result")
                            .put("tool_use_id", result.toolCallId()).put("content", result.content());
                    if (result.isError()) {
                        block.put("is_error", true);
                    }
                }
            }
        }
        if (out.size() > 1) {
            JsonNode last = out.get(out.size() - 1).get("content");
            markCached((ObjectNode) last.get(last.size() - 1));
        }
        return out;
    }

    private static void markCached(ObjectNode block) {
        block.putObject("cache_control").put("type", "ephemeral");
    }

    /** The answer in a whole (non-streamed) response. */
    public static ChatResponse response(JsonNode json, RateLimits rateLimits) {
        StringBuilder text = new StringBuilder();
        StringBuilder thinking = new StringBuilder();
        List<ToolCall> calls = new ArrayList<>();
        for (JsonNode block : json.path("content")) {
            switch (JsonTrees.text(block, "type")) {
                case "text" -> text.append(JsonTrees.text(block, "text"));
                case "thinking" -> thinking.append(JsonTrees.text(block, "thinking"));
                case "tool_use" -> calls.add(new ToolCall(JsonTrees.text(block, "id"), JsonTrees.text(block, "name"),
                        block.hasNonNull("input") ? JsonTrees.write(block.get("input")) : "{}"));
                default -> {
                    // redacted thinking, server tool blocks and future kinds carry nothing the engine uses
                }
            }
        }
        return new ChatResponse(text.toString(), calls, stopReason(JsonTrees.text(json, "stop_reason")),
                usage(JsonTrees.objectAt(json, "usage"), Usage.ZERO), JsonTrees.text(json, "model"), rateLimits,
                thinking.toString());
    }

    static StopReason stopReason(String stopReason) {
        return switch (stopReason) {
            case "end_turn" -> StopReason.END_TURN;
            case "tool_use" -> StopReason.TOOL_USE;
            case "max_tokens", "model_context_window_exceeded" -> StopReason.MAX_TOKENS;
            case "stop_sequence" -> StopReason.STOP_SEQUENCE;
            case "refusal" -> StopReason.REFUSAL;
            default -> StopReason.OTHER;
        };
    }

    /**
     * Anthropic's {@code input_tokens} already excludes cache reads and writes, as {@link Usage} does. Counts
     * missing from {@code usage} keep their value from {@code base}: {@code message_delta} repeats only some.
     */
    static Usage usage(JsonNode usage, Usage base) {
        if (usage == null) {
            return base;
        }
        return new Usage(count(usage, "input_tokens", base.inputTokens()),
                count(usage, "output_tokens", base.outputTokens()),
                count(usage, "cache_read_input_tokens", base.cacheReadTokens()),
                count(usage, "cache_creation_input_tokens", base.cacheWriteTokens()));
    }

    private static long count(JsonNode usage, String field, long fallback) {
        return JsonTrees.hasNumber(usage, field) ? JsonTrees.number(usage, field) : fallback;
    }

    /**
     * Assembles a streamed answer from its events, dispatching on each payload's JSON {@code type} (the
     * {@code event:} line says the same, but the payload is what the API documents).
     */
    public static final class Stream implements ProviderHttp.StreamHandler {
        private final StreamListener listener;
        private final Function<JsonNode, LlmException> errors;
        private final Map<Integer, Block> blocks = new TreeMap<>();
        private final StringBuilder thinking = new StringBuilder();
        private String model = "";
        private String stopReason = "";
        private Usage usage = Usage.ZERO;
        private String lastType = "nothing";

        /**
         * @param listener told about text and tool calls as they arrive
         * @param errors turns an {@code error} event into the exception to throw
         */
        public Stream(StreamListener listener, Function<JsonNode, LlmException> errors) {
            this.listener = listener;
            this.errors = errors;
        }

        @Override
        public boolean onEvent(SseEvent event) {
            JsonNode data = JsonTrees.parse(event.data());
            String type = JsonTrees.text(data, "type");
            lastType = type;
            switch (type) {
                case "message_start" -> {
                    JsonNode message = data.path("message");
                    model = JsonTrees.text(message, "model");
                    usage = usage(JsonTrees.objectAt(message, "usage"), Usage.ZERO);
                }
                case "content_block_start" -> onBlockStart(data.path("index").asInt(blocks.size()),
                        data.path("content_block"));
                case "content_block_delta" -> onDelta(blocks.get(data.path("index").asInt(-1)), data.path("delta"));
                case "message_delta" -> {
                    String reason = JsonTrees.text(data.path("delta"), "stop_reason");
                    if (!reason.isEmpty()) {
                        stopReason = reason;
                    }
                    usage = usage(JsonTrees.objectAt(data, "usage"), usage);
                }
                case "message_stop" -> {
                    return true;
                }
                case "error" -> throw blocks.isEmpty() ? errors.apply(data)
                        : ErrorClassifier.afterStart(errors.apply(data), progress());
                default -> {
                    // ping, content_block_stop and event types added later
                }
            }
            return false;
        }

        private void onBlockStart(int index, JsonNode block) {
            switch (JsonTrees.text(block, "type")) {
                case "text" -> {
                    Block text = new Block(null, null, null);
                    blocks.put(index, text);
                    String initial = JsonTrees.text(block, "text");
                    if (!initial.isEmpty()) {
                        text.content.append(initial);
                        listener.onText(initial);
                    }
                }
                case "tool_use" -> {
                    Block tool = new Block(JsonTrees.text(block, "id"), JsonTrees.text(block, "name"),
                            block.get("input"));
                    blocks.put(index, tool);
                    listener.onToolCallStarted(tool.id, tool.name);
                }
                case "thinking" -> thinking.append(JsonTrees.text(block, "thinking"));
                default -> {
                    // redacted thinking and server-side tool blocks are not part of the answer
                }
            }
        }

        private void onDelta(Block block, JsonNode delta) {
            String type = JsonTrees.text(delta, "type");
            if (type.equals("thinking_delta")) {
                // thinking blocks are kept apart from the answer's blocks, in one text
                thinking.append(JsonTrees.text(delta, "thinking"));
                return;
            }
            if (block == null) {
                return;
            }
            switch (type) {
                case "text_delta" -> {
                    String text = JsonTrees.text(delta, "text");
                    block.content.append(text);
                    listener.onText(text);
                }
                case "input_json_delta" -> block.content.append(JsonTrees.text(delta, "partial_json"));
                default -> {
                    // citations and signature deltas
                }
            }
        }

        @Override
        public boolean isComplete() {
            return !stopReason.isEmpty();
        }

        @Override
        public String progress() {
            return blocks.size() + " content blocks, last event " + lastType;
        }

        /**
         * The assembled answer. A tool call whose input was cut off (by {@code max_tokens}) keeps its partial JSON
         * untouched: the stop reason says why, and the engine answers invalid arguments with an error result.
         */
        @Override
        public ChatResponse response(RateLimits rateLimits) {
            StringBuilder text = new StringBuilder();
            List<ToolCall> calls = new ArrayList<>();
            for (Block block : blocks.values()) {
                if (block.id == null) {
                    text.append(block.content);
                } else {
                    calls.add(new ToolCall(block.id, block.name, block.arguments()));
                }
            }
            return new ChatResponse(text.toString(), calls, stopReason(stopReason), usage, model, rateLimits,
                    thinking.toString());
        }

        private static final class Block {
            final String id;
            final String name;
            final JsonNode startInput;
            final StringBuilder content = new StringBuilder();

            Block(String id, String name, JsonNode startInput) {
                this.id = id;
                this.name = name;
                this.startInput = startInput;
            }

            String arguments() {
                if (content.isEmpty() && startInput != null && startInput.isObject() && !startInput.isEmpty()) {
                    return JsonTrees.write(startInput);
                }
                return WireSupport.arguments(content.toString());
            }
        }
    }
}
