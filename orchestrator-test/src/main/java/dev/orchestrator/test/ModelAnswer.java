package dev.orchestrator.test;

import dev.orchestrator.api.Usage;
import dev.orchestrator.test.RecordedRequest.WireFormat;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A model's answer independent of the wire: its text, tool calls and whether the output limit cut it. It is written
 * in the format the request came in (Chat Completions or Messages), streamed as server-sent events when the request
 * asked for a stream, with the usage given or, when none is (it is {@link Usage#ZERO}), the input and output
 * estimated at four characters a token.
 */
record ModelAnswer(String text, List<Call> calls, boolean truncated, Usage usage) {

    /** Tool call ids are unique in the JVM, as a provider's are in a conversation. */
    private static final AtomicLong IDS = new AtomicLong();

    ModelAnswer {
        calls = List.copyOf(calls);
        Objects.requireNonNull(usage, "usage");
    }

    /** An answer whose usage is estimated from the request and the answer. */
    ModelAnswer(String text, List<Call> calls, boolean truncated) {
        this(text, calls, truncated, Usage.ZERO);
    }

    /** One tool call; {@code arguments} is JSON text as the model wrote it, valid or not. */
    record Call(String name, String arguments) {
    }

    String contentType(RecordedRequest request) {
        return request.streaming() ? "text/event-stream" : "application/json";
    }

    String render(RecordedRequest request) {
        Usage reported = usage.equals(Usage.ZERO) ? Usage.of(Math.max(1, request.body().length() / 4),
                Math.max(1, (text.length() + calls.stream().mapToInt(c -> c.arguments().length()).sum()) / 4))
                : usage;
        List<String> ids = calls.stream().map(c -> (request.wireFormat() == WireFormat.ANTHROPIC ? "toolu_mock_"
                : "call_mock_") + IDS.incrementAndGet()).toList();
        String model = Json.parseOrString(request.body()).path("model").asString("mock-model");
        return switch (request.wireFormat()) {
            case OPENAI -> request.streaming() ? openAiStream(model, ids, reported)
                    : Json.write(openAiMessage(model, ids, reported));
            case ANTHROPIC -> request.streaming() ? anthropicStream(model, ids, reported)
                    : Json.write(anthropicMessage(model, ids, reported));
        };
    }

    private String finishReason() {
        return truncated ? "length" : calls.isEmpty() ? "stop" : "tool_calls";
    }

    private String stopReason() {
        return truncated ? "max_tokens" : calls.isEmpty() ? "end_turn" : "tool_use";
    }

    private ObjectNode openAiMessage(String model, List<String> ids, Usage usage) {
        ObjectNode body = Json.object().put("id", "chatcmpl-mock").put("object", "chat.completion").put("model", model);
        ObjectNode choice = body.putArray("choices").addObject().put("index", 0);
        ObjectNode message = choice.putObject("message").put("role", "assistant");
        if (text.isEmpty() && !calls.isEmpty()) {
            message.putNull("content");
        } else {
            message.put("content", text);
        }
        if (!calls.isEmpty()) {
            ArrayNode toolCalls = message.putArray("tool_calls");
            for (int i = 0; i < calls.size(); i++) {
                toolCalls.addObject().put("id", ids.get(i)).put("type", "function").putObject("function")
                        .put("name", calls.get(i).name()).put("arguments", calls.get(i).arguments());
            }
        }
        choice.put("finish_reason", finishReason());
        body.set("usage", openAiUsage(usage));
        return body;
    }

    /** OpenAI counts cached tokens inside the prompt's and reports no cache writes: they are input to it. */
    private static ObjectNode openAiUsage(Usage usage) {
        long prompt = usage.inputTokens() + usage.cacheReadTokens() + usage.cacheWriteTokens();
        ObjectNode json = Json.object().put("prompt_tokens", prompt).put("completion_tokens", usage.outputTokens())
                .put("total_tokens", prompt + usage.outputTokens());
        if (usage.cacheReadTokens() > 0) {
            json.putObject("prompt_tokens_details").put("cached_tokens", usage.cacheReadTokens());
        }
        return json;
    }

    /** Anthropic reports cache reads and writes beside the uncached input. */
    private static ObjectNode anthropicUsage(ObjectNode parent, Usage usage, long output) {
        ObjectNode json = parent.putObject("usage").put("input_tokens", usage.inputTokens())
                .put("output_tokens", output);
        if (usage.cacheReadTokens() > 0 || usage.cacheWriteTokens() > 0) {
            json.put("cache_read_input_tokens", usage.cacheReadTokens())
                    .put("cache_creation_input_tokens", usage.cacheWriteTokens());
        }
        return json;
    }

    private String openAiStream(String model, List<String> ids, Usage usage) {
        StringBuilder sse = new StringBuilder();
        sse.append(openAiChunk(model, Json.object().put("role", "assistant").put("content", ""), null));
        if (!text.isEmpty()) {
            sse.append(openAiChunk(model, Json.object().put("content", text), null));
        }
        for (int i = 0; i < calls.size(); i++) {
            // as OpenAI does: the id and name first with empty arguments, then the arguments
            ObjectNode start = Json.object();
            start.putArray("tool_calls").addObject().put("index", i).put("id", ids.get(i)).put("type", "function")
                    .putObject("function").put("name", calls.get(i).name()).put("arguments", "");
            sse.append(openAiChunk(model, start, null));
            ObjectNode arguments = Json.object();
            arguments.putArray("tool_calls").addObject().put("index", i).putObject("function")
                    .put("arguments", calls.get(i).arguments());
            sse.append(openAiChunk(model, arguments, null));
        }
        sse.append(openAiChunk(model, Json.object(), finishReason()));
        ObjectNode last = Json.object().put("id", "chatcmpl-mock").put("object", "chat.completion.chunk")
                .put("model", model);
        last.putArray("choices");
        last.set("usage", openAiUsage(usage));
        sse.append("data: ").append(Json.write(last)).append("\n\n");
        return sse.append("data: [DONE]\n\n").toString();
    }

    private static String openAiChunk(String model, ObjectNode delta, String finishReason) {
        ObjectNode chunk = Json.object().put("id", "chatcmpl-mock").put("object", "chat.completion.chunk")
                .put("model", model);
        ObjectNode choice = chunk.putArray("choices").addObject().put("index", 0);
        choice.set("delta", delta);
        if (finishReason == null) {
            choice.putNull("finish_reason");
        } else {
            choice.put("finish_reason", finishReason);
        }
        return "data: " + Json.write(chunk) + "\n\n";
    }

    private ObjectNode anthropicMessage(String model, List<String> ids, Usage usage) {
        ObjectNode body = Json.object().put("id", "msg_mock").put("type", "message").put("role", "assistant")
                .put("model", model);
        ArrayNode content = body.putArray("content");
        if (!text.isEmpty()) {
            content.addObject().put("type", "text").put("text", text);
        }
        for (int i = 0; i < calls.size(); i++) {
            content.addObject().put("type", "tool_use").put("id", ids.get(i)).put("name", calls.get(i).name())
                    .set("input", Json.parseOrString(calls.get(i).arguments()));
        }
        body.put("stop_reason", stopReason()).putNull("stop_sequence");
        anthropicUsage(body, usage, usage.outputTokens());
        return body;
    }

    private String anthropicStream(String model, List<String> ids, Usage usage) {
        StringBuilder sse = new StringBuilder();
        ObjectNode start = Json.object().put("type", "message_start");
        ObjectNode message = start.putObject("message").put("id", "msg_mock").put("type", "message")
                .put("role", "assistant").put("model", model);
        message.putArray("content");
        message.putNull("stop_reason").putNull("stop_sequence");
        anthropicUsage(message, usage, 1);
        event(sse, "message_start", start);
        int index = 0;
        if (!text.isEmpty()) {
            ObjectNode block = Json.object().put("type", "content_block_start").put("index", index);
            block.putObject("content_block").put("type", "text").put("text", "");
            event(sse, "content_block_start", block);
            ObjectNode delta = Json.object().put("type", "content_block_delta").put("index", index);
            delta.putObject("delta").put("type", "text_delta").put("text", text);
            event(sse, "content_block_delta", delta);
            event(sse, "content_block_stop", Json.object().put("type", "content_block_stop").put("index", index));
            index++;
        }
        for (int i = 0; i < calls.size(); i++, index++) {
            ObjectNode block = Json.object().put("type", "content_block_start").put("index", index);
            block.putObject("content_block").put("type", "tool_use").put("id", ids.get(i))
                    .put("name", calls.get(i).name()).putObject("input");
            event(sse, "content_block_start", block);
            ObjectNode delta = Json.object().put("type", "content_block_delta").put("index", index);
            delta.putObject("delta").put("type", "input_json_delta").put("partial_json", calls.get(i).arguments());
            event(sse, "content_block_delta", delta);
            event(sse, "content_block_stop", Json.object().put("type", "content_block_stop").put("index", index));
        }
        ObjectNode end = Json.object().put("type", "message_delta");
        end.putObject("delta").put("stop_reason", stopReason()).putNull("stop_sequence");
        end.putObject("usage").put("output_tokens", usage.outputTokens());
        event(sse, "message_delta", end);
        event(sse, "message_stop", Json.object().put("type", "message_stop"));
        return sse.toString();
    }

    private static void event(StringBuilder sse, String name, JsonNode data) {
        sse.append("event: ").append(name).append("\ndata: ").append(Json.write(data)).append("\n\n");
    }
}
