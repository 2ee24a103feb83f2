package dev.orchestrator.benchmarks.frugal;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The providers' prompt caches, by their published rules, over a request's prompt text in the order the provider
 * reads it. Tokens are characters / 4. A cache entry lives 5 minutes from its write.
 *
 * <ul>
 *   <li>OpenAI (automatic): a request's cached tokens are its longest prefix shared with a request of the last
 *       5 minutes, counted from 1,024 tokens on, in steps of 128.
 *   <li>Anthropic (explicit): only a prefix that ends at a {@code cache_control} breakpoint is cached. A request
 *       reads the longest prefix it shares with an earlier request that ends at one of that request's breakpoints
 *       (and not after its own last one), and writes the rest up to its own last breakpoint; a prefix shorter than
 *       1,024 tokens (Sonnet's minimum) is neither written nor read.
 * </ul>
 */
final class PromptCaches {

    static final Duration TTL = Duration.ofMinutes(5);
    static final int MIN_TOKENS = 1024;
    static final int OPENAI_STEP = 128;

    /** Input tokens of one request: those not cached, those read from the cache, those written to it. */
    record Input(long uncached, long read, long written) {
        long sent() {
            return uncached + read + written;
        }
    }

    /** A prompt sent earlier, with the character offsets where its breakpoints end a cacheable prefix. */
    private record Entry(char[] text, int[] breakpoints, long at) {
    }

    private final LongSupplier nanos;
    private final Deque<Entry> openAi = new ArrayDeque<>();
    private final Deque<Entry> anthropic = new ArrayDeque<>();

    PromptCaches(LongSupplier nanos) {
        this.nanos = nanos;
    }

    /** OpenAI's automatic cache on {@code prompt}, which is then remembered. */
    synchronized Input openAi(String prompt) {
        char[] text = prompt.toCharArray();
        expire(openAi);
        long shared = 0;
        for (Entry earlier : openAi) {
            shared = Math.max(shared, common(text, earlier.text()));
        }
        long sharedTokens = shared / 4;
        long cached = sharedTokens >= MIN_TOKENS ? sharedTokens / OPENAI_STEP * OPENAI_STEP : 0;
        openAi.add(new Entry(text, new int[0], nanos.getAsLong()));
        return new Input(text.length / 4 - cached, cached, 0);
    }

    /** Anthropic's cache on {@code prompt} with {@code breakpoints} (ascending character offsets). */
    synchronized Input anthropic(String prompt, List<Integer> breakpoints) {
        char[] text = prompt.toCharArray();
        long total = text.length / 4;
        int last = breakpoints.isEmpty() ? 0 : breakpoints.getLast();
        if (last / 4 < MIN_TOKENS) {
            return new Input(total, 0, 0);
        }
        expire(anthropic);
        int read = 0;
        for (Entry earlier : anthropic) {
            int shared = common(text, earlier.text());
            for (int point : earlier.breakpoints()) {
                if (point <= shared && point <= last && point / 4 >= MIN_TOKENS) {
                    read = Math.max(read, point);
                }
            }
        }
        anthropic.add(new Entry(text, breakpoints.stream().mapToInt(Integer::intValue).toArray(),
                nanos.getAsLong()));
        long readTokens = read / 4;
        long written = last / 4 - readTokens;
        return new Input(total - readTokens - written, readTokens, written);
    }

    private void expire(Deque<Entry> entries) {
        long now = nanos.getAsLong();
        while (!entries.isEmpty() && now - entries.peekFirst().at() > TTL.toNanos()) {
            entries.removeFirst();
        }
    }

    /** The length of the longest common prefix. */
    private static int common(char[] a, char[] b) {
        int at = Arrays.mismatch(a, b);
        return at < 0 ? a.length : at;
    }
}
