package dev.orchestrator.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * One request to a model: the system prompt, the conversation, the tools it may call and the sampling settings.
 *
 * <p>Keep what does not change at the front (system prompt, tools, the plan in the first message) so that the
 * providers' prompt caches can reuse it from one call to the next.
 *
 * @param model the model to use, or empty for the provider's default
 * @param system the system prompt, empty for none
 * @param messages the conversation so far, oldest first; never empty
 * @param tools the tools the model may call, in a stable order
 * @param maxOutputTokens the most tokens the model may generate
 * @param temperature the sampling temperature, if set
 * @param metadata labels for the caller's own use (which agent, which task, which turn); they are not sent to the
 *     model and do not take part in cache keys. The engine sets {@value #ROLE}, {@value #TASK} and {@value #TURN}.
 */
public record ChatRequest(Optional<String> model, String system, List<Message> messages, List<ToolSpec> tools,
        int maxOutputTokens, OptionalDouble temperature, Map<String, String> metadata) {

    /** Metadata key: the role of the agent that makes the call, such as {@code worker}. */
    public static final String ROLE = "role";
    /**
     * Metadata key: the id of the task the call belongs to, such as {@code plan}, {@code review-2} or, for a
     * Worker, {@code todo-3#1} (the todo and its attempt).
     */
    public static final String TASK = "task";
    /** Metadata key: the call's index within its task, from 0. */
    public static final String TURN = "turn";
    /**
     * Metadata key: why the engine made the call when it is not the agent's own turn, such as {@value
     * #COMPACTION}.
     */
    public static final String PURPOSE = "purpose";
    /** The {@value #PURPOSE} of a call that summarises a conversation nearing its context window. */
    public static final String COMPACTION = "compaction";
    /** The most tokens the model may generate unless a request says otherwise. */
    public static final int DEFAULT_MAX_OUTPUT_TOKENS = 4096;

    /** Checks the request and copies its collections. */
    public ChatRequest {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(system, "system");
        Objects.requireNonNull(temperature, "temperature");
        messages = List.copyOf(messages);
        tools = List.copyOf(tools);
        metadata = Map.copyOf(metadata);
        if (messages.isEmpty()) {
            throw new IllegalArgumentException("a chat request needs at least one message");
        }
        if (maxOutputTokens <= 0) {
            throw new IllegalArgumentException("maxOutputTokens must be positive, was " + maxOutputTokens);
        }
    }

    /**
     * A new builder.
     *
     * @return this builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder that starts from this request.
     *
     * @return this builder
     */
    public Builder toBuilder() {
        Builder builder = new Builder().system(system).messages(messages).tools(tools)
                .maxOutputTokens(maxOutputTokens);
        model.ifPresent(builder::model);
        temperature.ifPresent(builder::temperature);
        metadata.forEach(builder::metadata);
        return builder;
    }

    /**
     * {@return the metadata value for {@code key}, or empty}
     *
     * @param key the key
     */
    public Optional<String> metadata(String key) {
        return Optional.ofNullable(metadata.get(key));
    }

    /** Builds a {@link ChatRequest}. */
    public static final class Builder {
        private String model;
        private String system = "";
        private final List<Message> messages = new ArrayList<>();
        private final List<ToolSpec> tools = new ArrayList<>();
        private int maxOutputTokens = DEFAULT_MAX_OUTPUT_TOKENS;
        private Double temperature;
        private final Map<String, String> metadata = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * The model to call; by default the provider's own.
         *
         * @param model the model's name
         * @return this builder
         */
        public Builder model(String model) {
            this.model = Objects.requireNonNull(model, "model");
            return this;
        }

        /**
         * The system prompt.
         *
         * @param system the system prompt
         * @return this builder
         */
        public Builder system(String system) {
            this.system = Objects.requireNonNull(system, "system");
            return this;
        }

        /**
         * Appends one message.
         *
         * @param message what went wrong and what to do
         * @return this builder
         */
        public Builder message(Message message) {
            messages.add(Objects.requireNonNull(message, "message"));
            return this;
        }

        /**
         * Replaces the conversation.
         *
         * @param messages the messages
         * @return this builder
         */
        public Builder messages(List<? extends Message> messages) {
            this.messages.clear();
            this.messages.addAll(messages);
            return this;
        }

        /**
         * Replaces the tools the model may call.
         *
         * @param tools the tools offered
         * @return this builder
         */
        public Builder tools(List<ToolSpec> tools) {
            this.tools.clear();
            this.tools.addAll(tools);
            return this;
        }

        /**
         * The most tokens the model may generate; {@value #DEFAULT_MAX_OUTPUT_TOKENS} by default.
         *
         * @param maxOutputTokens the most tokens of output
         * @return this builder
         */
        public Builder maxOutputTokens(int maxOutputTokens) {
            this.maxOutputTokens = maxOutputTokens;
            return this;
        }

        /**
         * The sampling temperature; the provider's default if not set.
         *
         * @param temperature the sampling temperature
         * @return this builder
         */
        public Builder temperature(double temperature) {
            this.temperature = temperature;
            return this;
        }

        /**
         * Adds a metadata label (see {@link ChatRequest#metadata()}).
         *
         * @param key the key
         * @param value the value
         * @return this builder
         */
        public Builder metadata(String key, String value) {
            metadata.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** {@return the request} */
        public ChatRequest build() {
            return new ChatRequest(Optional.ofNullable(model), system, messages, tools, maxOutputTokens,
                    temperature == null ? OptionalDouble.empty() : OptionalDouble.of(temperature), metadata);
        }
    }
}
