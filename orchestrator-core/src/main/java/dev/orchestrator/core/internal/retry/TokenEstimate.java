package dev.orchestrator.core.internal.retry;

import dev.orchestrator.api.ChatRequest;
import dev.orchestrator.api.Message;
import dev.orchestrator.api.ToolCall;
import dev.orchestrator.api.ToolSpec;
import dev.orchestrator.api.Usage;

/**
 * How many tokens a request will count, guessed before it goes out: about four characters a token for everything
 * sent, plus the most it may answer, as OpenAI counts {@code max_tokens} against the quota when the request arrives.
 * The response's usage corrects the guess. The rate limiter and the agents' context budget both count this way.
 */
public final class TokenEstimate {

    private static final int CHARS_PER_TOKEN = 4;

    private TokenEstimate() {
    }

    static long of(ChatRequest request) {
        return prompt(request) + request.maxOutputTokens();
    }

    /** The tokens of what {@code request} sends: system prompt, messages and tools. */
    public static long prompt(ChatRequest request) {
        long chars = request.system().length();
        for (Message message : request.messages()) {
            chars += chars(message);
        }
        for (ToolSpec tool : request.tools()) {
            chars += tool.name().length() + tool.description().length() + tool.inputSchema().length();
        }
        return chars / CHARS_PER_TOKEN;
    }

    /** The tokens of one message. */
    public static long of(Message message) {
        return chars(message) / CHARS_PER_TOKEN;
    }

    /** The tokens a response says the call used, as the providers count them against the token rate. */
    static long used(Usage usage) {
        return usage.inputTokens() + usage.outputTokens();
    }

    private static long chars(Message message) {
        return switch (message) {
            case Message.User user -> user.text().length();
            case Message.Assistant assistant -> assistant.text().length() + assistant.toolCalls().stream()
                    .mapToLong(TokenEstimate::chars).sum();
            case Message.ToolResult result -> result.content().length();
        };
    }

    private static long chars(ToolCall call) {
        return call.name().length() + call.arguments().length();
    }
}
