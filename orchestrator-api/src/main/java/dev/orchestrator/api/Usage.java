package dev.orchestrator.api;

/**
 * Tokens one LLM call used, normalised across providers.
 *
 * <p>{@code inputTokens} counts only the input that was neither read from nor written to the provider's prompt
 * cache, so the four counts never overlap and {@link #totalTokens()} is their sum. (OpenAI reports cached tokens
 * inside {@code prompt_tokens}; Anthropic reports them beside {@code input_tokens}; providers convert to this.)
 *
 * @param inputTokens uncached input tokens
 * @param outputTokens generated tokens
 * @param cacheReadTokens input tokens served from the provider's prompt cache
 * <p>{@code reasoningTokens} is the part of {@code outputTokens} the model spent thinking before it answered
 * (OpenAI's {@code completion_tokens_details.reasoning_tokens}); it is already inside {@code outputTokens}, as
 * providers bill it, so it is not added to {@link #totalTokens()} again. It is 0 where the provider does not say
 * (Anthropic counts thinking only inside {@code output_tokens}).
 *
 * @param cacheWriteTokens input tokens written to the provider's prompt cache
 * @param reasoningTokens of the output tokens, those spent reasoning; never more than {@code outputTokens}
 */
public record Usage(long inputTokens, long outputTokens, long cacheReadTokens, long cacheWriteTokens,
        long reasoningTokens) {

    /** No tokens at all. */
    public static final Usage ZERO = new Usage(0, 0, 0, 0);

    /** Checks that no count is negative and that reasoning is part of the output. */
    public Usage {
        if (inputTokens < 0 || outputTokens < 0 || cacheReadTokens < 0 || cacheWriteTokens < 0
                || reasoningTokens < 0) {
            throw new IllegalArgumentException("token counts must not be negative: " + inputTokens + "/"
                    + outputTokens + "/" + cacheReadTokens + "/" + cacheWriteTokens + "/" + reasoningTokens);
        }
        if (reasoningTokens > outputTokens) {
            throw new IllegalArgumentException("reasoningTokens (" + reasoningTokens
                    + ") are part of outputTokens (" + outputTokens + ") and cannot exceed them");
        }
    }

    /**
     * Usage without reasoning tokens.
     *
     * @param inputTokens uncached input tokens
     * @param outputTokens generated tokens
     * @param cacheReadTokens input tokens served from the provider's prompt cache
     * @param cacheWriteTokens input tokens written to the provider's prompt cache
     */
    public Usage(long inputTokens, long outputTokens, long cacheReadTokens, long cacheWriteTokens) {
        this(inputTokens, outputTokens, cacheReadTokens, cacheWriteTokens, 0);
    }

    /**
     * {@return input and output tokens without any prompt caching}
     *
     * @param inputTokens the input tokens
     * @param outputTokens the output tokens
     */
    public static Usage of(long inputTokens, long outputTokens) {
        return new Usage(inputTokens, outputTokens, 0, 0);
    }

    /** {@return the sum of the four counts of input and output; reasoning is inside the output already} */
    public long totalTokens() {
        return inputTokens + outputTokens + cacheReadTokens + cacheWriteTokens;
    }

    /**
     * {@return this usage plus {@code other}, count by count}
     *
     * @param other the other
     */
    public Usage plus(Usage other) {
        return new Usage(inputTokens + other.inputTokens, outputTokens + other.outputTokens,
                cacheReadTokens + other.cacheReadTokens, cacheWriteTokens + other.cacheWriteTokens,
                reasoningTokens + other.reasoningTokens);
    }
}
