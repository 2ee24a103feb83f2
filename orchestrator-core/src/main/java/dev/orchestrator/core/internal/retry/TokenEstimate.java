package dev.orchestrator.core.internal.retry;

import dev.orchestrator.api.ChatRequest;
import dev.orchestrator.api.Message;
import dev.orchestrator.api.ToolCall;
import dev.orchestrator.api.ToolSpec;
import dev.orchestrator.api.Usage;

/**
 * How many tokens a request will count against the provider's token rate, guessed before it goes out: about four
 * characters a token for everything sent, plus the most it may answer, as OpenAI counts {@code max_tokens} against
 * the quota when the request arrives. The response's usage corrects the guess.
 */
final class TokenEstimate {

    private static final int CHARS_PER_TOKEN = 4;

    private TokenEstimate() {
    }

    static long of(ChatRequest request) {
        long chars = request.system().length();
        for (Message message : request.messages()) {
            chars += switch (message) {
                case Message.User user -> user.text().length();
                case Message.Assistant assistant -> assistant.text().length() + assistant.toolCalls().stream()
                        .mapToLong(TokenEstimate::chars).sum();
                case Message.ToolResult result -> result.content().length();
            };
        }
        for (ToolSpec tool : request.tools()) {
            chars += tool.name().length() + tool.description().length() + tool.inputSchema().length();
        }
        return chars / CHARS_PER_TOKEN + request.maxOutputTokens();
    }

    /** The tokens a response says the call used, as the providers count them against the token rate. */
    static long used(Usage usage) {
        return usage.inputTokens() + usage.outputTokens();
    }

    private static long chars(ToolCall call) {
        return call.name().length() + call.arguments().length();
    }
}
