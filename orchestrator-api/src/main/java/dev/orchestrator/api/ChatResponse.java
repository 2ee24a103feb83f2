package dev.orchestrator.api;

import java.util.List;
import java.util.Objects;

/**
 * A model's answer.
 *
 * @param text the text, empty when there is none (a refusal's text is here too)
 * @param toolCalls the tools the model asked to call, in order
 * @param stopReason why it stopped
 * @param usage the tokens the call used
 * @param model the model that answered, as the provider named it
 * @param rateLimits what the provider's headers said about its remaining capacity
 */
public record ChatResponse(String text, List<ToolCall> toolCalls, StopReason stopReason, Usage usage, String model,
        RateLimits rateLimits) {

    /** Checks every field is present and copies the list. */
    public ChatResponse {
        Objects.requireNonNull(text, "text");
        toolCalls = List.copyOf(toolCalls);
        Objects.requireNonNull(stopReason, "stopReason");
        Objects.requireNonNull(usage, "usage");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(rateLimits, "rateLimits");
    }

    /**
     * {@return a plain text answer that ended its turn}
     *
     * @param text the text
     * @param usage the tokens it used
     * @param model the model's name
     */
    public static ChatResponse ofText(String text, Usage usage, String model) {
        return new ChatResponse(text, List.of(), StopReason.END_TURN, usage, model, RateLimits.UNKNOWN);
    }

    /**
     * {@return an answer that asks for tool calls}
     *
     * @param toolCalls the tool calls
     * @param usage the tokens it used
     * @param model the model's name
     */
    public static ChatResponse ofToolCalls(List<ToolCall> toolCalls, Usage usage, String model) {
        return new ChatResponse("", toolCalls, StopReason.TOOL_USE, usage, model, RateLimits.UNKNOWN);
    }

    /** {@return this answer as the assistant message that continues the conversation} */
    public Message.Assistant toMessage() {
        return new Message.Assistant(text, toolCalls);
    }
}
