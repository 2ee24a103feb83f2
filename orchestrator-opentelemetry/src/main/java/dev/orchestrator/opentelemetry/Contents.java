package dev.orchestrator.opentelemetry;

import dev.orchestrator.api.ChatRequest;
import dev.orchestrator.api.ChatResponse;
import dev.orchestrator.api.Message;
import dev.orchestrator.api.ToolCall;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import tools.jackson.databind.json.JsonMapper;

/**
 * Prompts and completions in the GenAI conventions' JSON form ({@code [{"role": ..., "parts": [...]}]}), each text
 * passed through the mission's redaction first. Only used when the user opts in to contents.
 */
final class Contents {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final UnaryOperator<String> redaction;

    Contents(UnaryOperator<String> redaction) {
        this.redaction = redaction;
    }

    String text(String text) {
        return redaction.apply(text);
    }

    String input(ChatRequest request) {
        List<Map<String, Object>> messages = new ArrayList<>();
        for (Message message : request.messages()) {
            messages.add(switch (message) {
                case Message.User user -> message("user", List.of(textPart(user.text())));
                case Message.Assistant assistant -> message("assistant", assistantParts(assistant.text(),
                        assistant.toolCalls()));
                case Message.ToolResult result -> message("tool", List.of(Map.of("type", "tool_call_response",
                        "id", result.toolCallId(), "response", redaction.apply(result.content()))));
            });
        }
        return JSON.writeValueAsString(messages);
    }

    String output(ChatResponse response) {
        Map<String, Object> message = message("assistant", assistantParts(response.text(), response.toolCalls()));
        message.put("finish_reason", finishReason(response));
        return JSON.writeValueAsString(List.of(message));
    }

    String system(ChatRequest request) {
        return JSON.writeValueAsString(List.of(textPart(request.system())));
    }

    /** The conventions' finish reason of a response. */
    static String finishReason(ChatResponse response) {
        return switch (response.stopReason()) {
            case END_TURN, STOP_SEQUENCE -> "stop";
            case TOOL_USE -> "tool_call";
            case MAX_TOKENS -> "length";
            case REFUSAL -> "content_filter";
            case OTHER -> "other";
        };
    }

    private List<Map<String, Object>> assistantParts(String text, List<ToolCall> calls) {
        List<Map<String, Object>> parts = new ArrayList<>();
        if (!text.isEmpty()) {
            parts.add(textPart(text));
        }
        for (ToolCall call : calls) {
            parts.add(Map.of("type", "tool_call", "id", call.id(), "name", call.name(),
                    "arguments", redaction.apply(call.arguments())));
        }
        return parts;
    }

    private Map<String, Object> textPart(String text) {
        return Map.of("type", "text", "content", redaction.apply(text));
    }

    private static Map<String, Object> message(String role, List<Map<String, Object>> parts) {
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("role", role);
        message.put("parts", parts);
        return message;
    }
}
