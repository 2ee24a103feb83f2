package dev.orchestrator.core.internal.context;

import dev.orchestrator.api.ChatRequest;
import dev.orchestrator.api.Message;
import dev.orchestrator.api.Usage;
import dev.orchestrator.core.internal.retry.TokenEstimate;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How full one conversation's context window is. Estimates are four characters a token, scaled by what the last
 * response reported for the prompt it answered; the window comes from the mission (or {@link ContextWindows}) and
 * shrinks to what a context-length error says it is. Everything it learns comes from recorded responses and
 * errors, so a resumed conversation decides exactly as the first run did.
 */
public final class ContextBudget {

    /** Compact when a request would fill this share of the window. */
    static final double NEARLY_FULL = 0.8;

    // the providers' own words for the window: OpenAI's "maximum context length is 128000 tokens", Anthropic's
    // "208310 tokens > 200000 maximum"
    private static final List<Pattern> WINDOW_IN_ERROR = List.of(
            Pattern.compile("maximum context length is (\\d+) tokens"),
            Pattern.compile("tokens > (\\d+) maximum"));

    private long window;
    private double scale = 1.0;
    // the last request estimated and its estimate: a conversation asks whether a request fits, then learns from
    // its response, and need not count the same request twice
    private ChatRequest estimated;
    private long estimate;

    /** A budget for a conversation with a model whose window holds {@code windowTokens}. */
    public ContextBudget(int windowTokens) {
        if (windowTokens <= 0) {
            throw new IllegalArgumentException("the context window must be positive, was " + windowTokens);
        }
        this.window = windowTokens;
    }

    /** The window, in tokens, as far as it is known. */
    public long window() {
        return window;
    }

    /** What {@code request} will take of the window: its prompt, estimated, and the most it may answer. */
    public long tokens(ChatRequest request) {
        return Math.round(prompt(request) * scale) + request.maxOutputTokens();
    }

    /** What {@code messages} take of the window, estimated. */
    public long tokens(List<Message> messages) {
        return Math.round(messages.stream().mapToLong(TokenEstimate::of).sum() * scale);
    }

    /** {@link TokenEstimate#prompt} of {@code request}, counted once for the same request. */
    private long prompt(ChatRequest request) {
        if (request != estimated) {
            estimate = TokenEstimate.prompt(request);
            estimated = request;
        }
        return estimate;
    }

    /** Whether {@code request} would fill the window beyond the point where the conversation should compact. */
    public boolean nearlyFull(ChatRequest request) {
        return tokens(request) >= window * NEARLY_FULL;
    }

    /** Calibrates the estimate with the prompt tokens the provider reported for {@code sent}. */
    public void learn(ChatRequest sent, Usage usage) {
        long reported = usage.inputTokens() + usage.cacheReadTokens() + usage.cacheWriteTokens();
        long estimated = prompt(sent);
        if (reported > 0 && estimated > 0) {
            // tokenizers differ by about a factor of two from four characters a token; a provider that reports
            // nonsense (a script, a proxy) must not switch compaction off or on for every call
            scale = Math.clamp((double) reported / estimated, 0.5, 2.0);
        }
    }

    /**
     * Learns from a context-length error for {@code sent}: the window the provider names, or else a window a
     * tenth smaller than what was sent.
     */
    public void tooLong(ChatRequest sent, String error) {
        for (Pattern pattern : WINDOW_IN_ERROR) {
            Matcher matcher = pattern.matcher(error);
            if (matcher.find()) {
                window = Math.min(window, Long.parseLong(matcher.group(1)));
                return;
            }
        }
        window = Math.min(window, tokens(sent) * 9 / 10);
    }
}
