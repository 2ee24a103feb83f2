package dev.orchestrator.api;

import java.util.List;
import java.util.Objects;

/** One turn of a conversation with a model. The system prompt is not a message: see {@link ChatRequest#system()}. */
public sealed interface Message {

    /**
     * {@return a user message with {@code text}}
     *
     * @param text the text
     */
    static Message user(String text) {
        return new User(text);
    }

    /**
     * Text from the user, or from the engine on an agent's behalf.
     *
     * @param text the text
     */
    record User(String text) implements Message {
        /** Checks the text is present. */
        public User {
            Objects.requireNonNull(text, "text");
        }
    }

    /**
     * What the model answered: text, tool calls, or both.
     *
     * @param text the text, empty when there is none
     * @param toolCalls the tools it asked to call, in order
     */
    record Assistant(String text, List<ToolCall> toolCalls) implements Message {
        /** Copies the list. */
        public Assistant {
            Objects.requireNonNull(text, "text");
            toolCalls = List.copyOf(toolCalls);
        }
    }

    /**
     * The result of one tool call, sent back to the model.
     *
     * @param toolCallId the {@link ToolCall#id()} it answers
     * @param toolName the tool's name (Anthropic does not need it; others and logs do)
     * @param content what the tool returned, or the error
     * @param isError whether the call failed
     */
    record ToolResult(String toolCallId, String toolName, String content, boolean isError) implements Message {
        /** Checks every field is present. */
        public ToolResult {
            Objects.requireNonNull(toolCallId, "toolCallId");
            Objects.requireNonNull(toolName, "toolName");
            Objects.requireNonNull(content, "content");
        }
    }
}
