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
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** The OpenAI Chat Completions wire format: requests, whole answers and streamed chunks. */
public final class OpenAiWire {

    private OpenAiWire() {
    }

    /**
     * The provider-wide request settings.
     *
     * @param parallelToolCalls {@code parallel_tool_calls}, sent only with tools (OpenAI rejects it without)
     * @param promptCacheKey {@code prompt_cache_key}, which routes requests with the same prefix to the same cache
     * @param legacyMaxTokens send the output limit as {@code max_tokens} rather than {@code max_completion_tokens}
     * @param sendTemperature send the request's temperature, if it has one
     * @param invalidArgumentsAsEmptyObject echo a tool call's arguments that are not a JSON object as {@code {}}
     */
    public record Options(Optional<Boolean> parallelToolCalls, Optional<String> promptCacheKey,
            boolean legacyMaxTokens, boolean sendTemperature, boolean invalidArgumentsAsEmptyObject) {

        /** What OpenAI itself accepts. */
        public static final Options DEFAULT = new Options(Optional.empty(), Optional.empty(), false, true, false);
    }

    /** The JSON body for {@code request}. {@link ChatRequest#metadata()} is not sent. */
    public static ObjectNode request(ChatRequest request, String defaultModel, Options options, boolean stream) {
        ObjectNode body = JsonTrees.object();
        body.put("model", request.model().orElse(defaultModel));
        ArrayNode messages = body.putArray("messages");
        if (!request.system().isEmpty()) {
            messages.addObject().put("role", "system").put("content", request.system());
        }
        for (Message message : request.messages()) {
            ObjectNode out = messages.addObject();
            switch (message) {
                case Message.User user -> out.put("role", "user").put("content", user.text());
                case Message.Assistant assistant -> {
                    out.put("role", "assistant");
                    if (assistant.text().isEmpty() && !assistant.toolCalls().isEmpty()) {
                        out.putNull("content");
                    } else {
                        out.put("content", assistant.text());
                    }
                    if (!assistant.toolCalls().isEmpty()) {
                        ArrayNode calls = out.putArray("tool_calls");
                        for (ToolCall call : assistant.toolCalls()) {
                            // arguments go back exactly as the model wrote them, even when they were invalid, so
                            // that it sees its mistake; the error result beside them says what was wrong
                            String arguments = options.invalidArgumentsAsEmptyObject()
                                    ? JsonTrees.write(WireSupport.objectOrEmpty(call.arguments())) : call.arguments();
                            calls.addObject().put("id", call.id()).put("type", "function").putObject("function")
                                    .put("name", call.name()).put("arguments", arguments);
                        }
                    }
                }
                case Message.ToolResult result -> out.put("role", "tool").put("tool_call_id", result.toolCallId())
                        .put("content", result.content());
            }
        }
        if (!request.tools().isEmpty()) {
            ArrayNode tools = body.putArray("tools");
            for (ToolSpec tool : request.tools()) {
                tools.addObject().put("type", "function").putObject("function")
                        .put("name", tool.name())
                        .put("description", tool.description())
                        .set("parameters", WireSupport.schema(tool));
            }
            options.parallelToolCalls().ifPresent(parallel -> body.put("parallel_tool_calls", parallel));
        }
        body.put(options.legacyMaxTokens() ? "max_tokens" : "max_completion_tokens", request.maxOutputTokens());
        if (options.sendTemperature()) {
            request.temperature().ifPresent(t -> body.put("temperature", t));
        }
        options.promptCacheKey().ifPresent(key -> body.put("prompt_cache_key", key));
        body.put("stream", stream);
        if (stream) {
            // without it the stream carries no usage at all
            body.putObject("stream_options").put("include_usage", true);
        }
        return body;
    }

    /** The answer in a whole (non-streamed) response. */
    public static ChatResponse response(JsonNode json, RateLimits rateLimits) {
        JsonNode choice = json.path("choices").path(0);
        JsonNode message = choice.path("message");
        List<ToolCall> calls = new ArrayList<>();
        for (JsonNode call : message.path("tool_calls")) {
            JsonNode function = call.path("function");
            JsonNode arguments = function.get("arguments");
            // a few servers send the arguments as an object rather than the documented string
            String raw = arguments == null || arguments.isNull() ? ""
                    : arguments.isString() ? arguments.stringValue() : JsonTrees.write(arguments);
            calls.add(new ToolCall(idOr(JsonTrees.text(call, "id"), calls.size()), JsonTrees.text(function, "name"),
                    WireSupport.arguments(raw)));
        }
        String refusal = JsonTrees.text(message, "refusal");
        return new ChatResponse(JsonTrees.text(message, "content") + refusal, calls,
                stopReason(JsonTrees.text(choice, "finish_reason"), !calls.isEmpty(), !refusal.isEmpty()),
                usage(JsonTrees.objectAt(json, "usage")), JsonTrees.text(json, "model"), rateLimits,
                reasoning(message));
    }

    /** DeepSeek calls it {@code reasoning_content}, OpenRouter {@code reasoning}; a server sends one or the other. */
    static String reasoning(JsonNode messageOrDelta) {
        String deepSeek = JsonTrees.text(messageOrDelta, "reasoning_content");
        return deepSeek.isEmpty() ? JsonTrees.text(messageOrDelta, "reasoning") : deepSeek;
    }

    private static String idOr(String id, int index) {
        // Chat Completions requires an id to answer the call with; invent a stable one for servers that omit it
        return id.isEmpty() ? "call_" + index : id;
    }

    static StopReason stopReason(String finishReason, boolean hasToolCalls, boolean refused) {
        return switch (finishReason) {
            case "tool_calls", "function_call" -> StopReason.TOOL_USE;
            case "length" -> StopReason.MAX_TOKENS;
            case "content_filter" -> StopReason.REFUSAL;
            // some compatible servers (older Ollama) say "stop" even when they return tool calls
            case "stop" -> refused ? StopReason.REFUSAL : hasToolCalls ? StopReason.TOOL_USE : StopReason.END_TURN;
            default -> hasToolCalls ? StopReason.TOOL_USE : StopReason.OTHER;
        };
    }

    /**
     * OpenAI counts cached tokens inside {@code prompt_tokens}; {@link Usage} keeps them apart. DeepSeek reports
     * them as {@code prompt_cache_hit_tokens} (also inside {@code prompt_tokens}) instead.
     */
    static Usage usage(JsonNode usage) {
        if (usage == null) {
            return Usage.ZERO;
        }
        long prompt = JsonTrees.number(usage, "prompt_tokens");
        long cached = Math.max(JsonTrees.number(JsonTrees.objectAt(usage, "prompt_tokens_details"), "cached_tokens"),
                JsonTrees.number(usage, "prompt_cache_hit_tokens"));
        long completion = JsonTrees.number(usage, "completion_tokens");
        long reasoning = JsonTrees.number(JsonTrees.objectAt(usage, "completion_tokens_details"), "reasoning_tokens");
        return new Usage(Math.max(0, prompt - cached), completion, Math.min(cached, prompt), 0,
                Math.min(reasoning, completion));
    }

    /** Assembles a streamed answer from its chunks, merging tool-call fragments by their {@code index}. */
    public static final class Stream implements ProviderHttp.StreamHandler {
        private final StreamListener listener;
        private final Function<JsonNode, LlmException> errors;
        private final StringBuilder text = new StringBuilder();
        private final StringBuilder refusal = new StringBuilder();
        private final StringBuilder reasoning = new StringBuilder();
        private final Map<Integer, PartialCall> calls = new TreeMap<>();
        private String model = "";
        private String finishReason = "";
        private JsonNode usage;
        private int chunks;
        private boolean done;

        /**
         * @param listener told about text and tool calls as they arrive
         * @param errors turns an error object inside the stream into the exception to throw
         */
        public Stream(StreamListener listener, Function<JsonNode, LlmException> errors) {
            this.listener = listener;
            this.errors = errors;
        }

        @Override
        public boolean onEvent(SseEvent event) {
            String data = event.data().strip();
            if (data.equals("[DONE]")) {
                done = true;
                return true;
            }
            JsonNode chunk = JsonTrees.parse(data);
            JsonNode error = chunk.get("error");
            if (error != null && !error.isNull()) {
                // OpenRouter, for one, ends a stream it already began with an error chunk (a token limit reached)
                throw chunks == 0 ? errors.apply(chunk) : ErrorClassifier.afterStart(errors.apply(chunk), progress());
            }
            chunks++;
            String chunkModel = JsonTrees.text(chunk, "model");
            if (!chunkModel.isEmpty()) {
                model = chunkModel;
            }
            JsonNode chunkUsage = JsonTrees.objectAt(chunk, "usage");
            if (chunkUsage != null) {
                usage = chunkUsage;
            }
            for (JsonNode choice : chunk.path("choices")) {
                if (choice.path("index").asInt(0) == 0) {
                    onChoice(choice);
                }
            }
            return false;
        }

        private void onChoice(JsonNode choice) {
            JsonNode delta = choice.path("delta");
            String content = JsonTrees.text(delta, "content");
            if (!content.isEmpty()) {
                text.append(content);
                listener.onText(content);
            }
            reasoning.append(reasoning(delta));
            String refused = JsonTrees.text(delta, "refusal");
            if (!refused.isEmpty()) {
                refusal.append(refused);
                listener.onText(refused);
            }
            for (JsonNode fragment : delta.path("tool_calls")) {
                int index = fragment.path("index").asInt(calls.size());
                JsonNode function = fragment.path("function");
                PartialCall call = calls.get(index);
                if (call == null) {
                    call = new PartialCall(idOr(JsonTrees.text(fragment, "id"), index),
                            JsonTrees.text(function, "name"));
                    calls.put(index, call);
                    listener.onToolCallStarted(call.id, call.name);
                }
                call.arguments.append(JsonTrees.text(function, "arguments"));
            }
            String finish = JsonTrees.text(choice, "finish_reason");
            if (!finish.isEmpty()) {
                finishReason = finish;
            }
        }

        @Override
        public boolean isComplete() {
            return done || !finishReason.isEmpty();
        }

        @Override
        public String progress() {
            return chunks + " chunks, " + (finishReason.isEmpty() ? "no finish_reason" : "finish_reason "
                    + finishReason);
        }

        /** The assembled answer; a missing usage chunk (servers that ignore include_usage) counts as zero. */
        @Override
        public ChatResponse response(RateLimits rateLimits) {
            List<ToolCall> toolCalls = calls.values().stream()
                    .map(call -> new ToolCall(call.id, call.name, WireSupport.arguments(call.arguments.toString())))
                    .toList();
            return new ChatResponse(text.toString() + refusal, toolCalls,
                    stopReason(finishReason, !toolCalls.isEmpty(), !refusal.isEmpty()), usage(usage), model,
                    rateLimits, reasoning.toString());
        }

        private static final class PartialCall {
            final String id;
            final String name;
            final StringBuilder arguments = new StringBuilder();

            PartialCall(String id, String name) {
                this.id = id;
                this.name = name;
            }
        }
    }
}
