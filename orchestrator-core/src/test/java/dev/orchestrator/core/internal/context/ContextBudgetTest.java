package dev.orchestrator.core.internal.context;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.ChatRequest;
import dev.orchestrator.api.Message;
import dev.orchestrator.api.Usage;
import org.junit.jupiter.api.Test;

class ContextBudgetTest {

    /** 4,000 characters: 1,000 tokens by the estimate, and 100 tokens the model may answer. */
    private static final ChatRequest REQUEST = ChatRequest.builder().message(Message.user("x".repeat(4_000)))
            .maxOutputTokens(100).build();

    @Test
    void knownModelsHaveTheirWindowAndOthersAConservativeDefault() {
        assertEquals(128_000, ContextWindows.of("gpt-4o-mini-2024-07-18"));
        assertEquals(8_192, ContextWindows.of("gpt-4-0613"));
        assertEquals(200_000, ContextWindows.of("Claude-Sonnet-4-5"));
        assertEquals(1_047_576, ContextWindows.of("openai/gpt-4.1"));
        assertEquals(ContextWindows.UNKNOWN, ContextWindows.of("my-local-model"));
    }

    @Test
    void aRequestNearlyFillsTheWindowAtEightyPercentCountingItsOutput() {
        assertTrue(new ContextBudget(1_375).nearlyFull(REQUEST));
        assertFalse(new ContextBudget(1_376).nearlyFull(REQUEST));
    }

    @Test
    void theReportedPromptTokensScaleTheEstimateWithinAFactorOfTwo() {
        ContextBudget budget = new ContextBudget(100_000);

        budget.learn(REQUEST, new Usage(1_000, 5, 300, 0));
        assertEquals(1_300 + 100, budget.tokens(REQUEST));

        budget.learn(REQUEST, Usage.of(20, 5));
        assertEquals(500 + 100, budget.tokens(REQUEST), "a provider reporting nonsense halves it at most");

        budget.learn(REQUEST, Usage.ZERO);
        assertEquals(500 + 100, budget.tokens(REQUEST), "no usage reported, nothing learned");
    }

    @Test
    void aContextLengthErrorSetsTheWindowItNamesOrAWindowBelowWhatWasSent() {
        ContextBudget openAi = new ContextBudget(ContextWindows.UNKNOWN);
        openAi.tooLong(REQUEST, "HTTP 400 (invalid_request_error, context_length_exceeded): This model's maximum "
                + "context length is 16385 tokens. However, your messages resulted in 17000 tokens.");
        assertEquals(16_385, openAi.window());

        ContextBudget anthropic = new ContextBudget(ContextWindows.UNKNOWN);
        anthropic.tooLong(REQUEST, "prompt is too long: 208310 tokens > 20000 maximum");
        assertEquals(20_000, anthropic.window());

        ContextBudget other = new ContextBudget(ContextWindows.UNKNOWN);
        other.tooLong(REQUEST, "the request exceeds the available context size");
        assertEquals(990, other.window());
    }
}
