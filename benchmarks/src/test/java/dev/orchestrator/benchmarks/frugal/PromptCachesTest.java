package dev.orchestrator.benchmarks.frugal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The providers' published cache rules, as the benchmark bills them. */
class PromptCachesTest {

    private final AtomicLong nanos = new AtomicLong();
    private final PromptCaches caches = new PromptCaches(nanos::get);

    @Test
    void openAiCachesTheSharedPrefixFrom1024TokensIn128TokenSteps() {
        String stable = "x".repeat(4 * 1300);
        assertEquals(new PromptCaches.Input(1400, 0, 0), caches.openAi(stable + "a".repeat(400)));
        // 1,300 tokens shared: 1,280 of them in whole steps of 128
        assertEquals(new PromptCaches.Input(1500 - 1280, 1280, 0), caches.openAi(stable + "b".repeat(800)));
        assertEquals(new PromptCaches.Input(1000, 0, 0), caches.openAi("x".repeat(4000)), "shorter than 1,024");
    }

    @Test
    void openAiForgetsAPrefixAfterFiveMinutes() {
        String prompt = "x".repeat(8000);
        caches.openAi(prompt);
        nanos.addAndGet(PromptCaches.TTL.toNanos() + 1);
        assertEquals(new PromptCaches.Input(2000, 0, 0), caches.openAi(prompt));
    }

    @Test
    void anthropicCachesOnlyUpToBreakpointsAndBillsTheWrite() {
        String prefix = "x".repeat(4 * 2000);
        String first = prefix + "y".repeat(400);
        assertEquals(new PromptCaches.Input(100, 0, 2000), caches.anthropic(first, List.of(prefix.length())));
        String second = first + "z".repeat(400);
        // reads up to the earlier breakpoint, writes from there to its own last one
        assertEquals(new PromptCaches.Input(0, 2000, 200), caches.anthropic(second, List.of(prefix.length(),
                second.length())));
        assertEquals(new PromptCaches.Input(2200, 0, 0), caches.anthropic(second, List.of()), "no breakpoint");
    }
}
