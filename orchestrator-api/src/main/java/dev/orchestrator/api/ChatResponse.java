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
 * @param reasoning the model's reasoning before it answered (DeepSeek's {@code reasoning_content}, OpenRouter's
 *     {@code reasoning}, Anthropic's thinking blocks), empty when the provider sent none. It is for reading and
 *     logging only: {@link #toMessage()} leaves it out, as DeepSeek rejects it in a later request (Anthropic wants
 *     its signed thinking blocks back only with extended thinking turned on, which the providers do not request)
 */
public record ChatResponse(String text, List<ToolCall> toolCalls, StopReason stopReason, Usage usage, String model,
        RateLimits rateLimits, String reasoning) {

    /** Checks every field is present and copies the list; a missing reasoning (older journals) is empty. */
    public ChatResponse {
        reasoning = reasoning == null ? "" : reasoning;
        Objects.requireNonNull(text, "text");
        toolCalls = List.copyOf(toolCalls);
        Objects.requireNonNull(stopReason, "stopReason");
        Objects.requireNonNull(usage, "usage");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(rateLimits, "rateLimits");
    }

    /**
     * An answer without reasoning.
     *
     * @param text the text, empty when there is none
     * @param toolCalls the tools the model asked to call, in order
     * @param stopReason why it stopped
     * @param usage the tokens the call used
     * @param model the model that answered, as the provider named it
     * @param rateLimits what the provider's headers said about its remaining capacity
     */
    public ChatResponse(String text, List<ToolCall> toolCalls, StopReason stopReason, Usage usage, String model,
            RateLimits rateLimits) {
        this(text, toolCalls, stopReason, usage, model, rateLimits, "");
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

    /** {@return this answer as the assistant message that continues the conversation, without its reasoning} */
    public Message.Assistant toMessage() {
        return new Message.Assistant(text, toolCalls);
    }
}
