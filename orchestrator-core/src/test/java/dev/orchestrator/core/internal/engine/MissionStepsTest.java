package dev.orchestrator.core.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.Budget;
import dev.orchestrator.api.ChatResponse;
import dev.orchestrator.api.MissionEvent;
import dev.orchestrator.api.MissionResult.Outcome;
import dev.orchestrator.api.ModelPrice;
import dev.orchestrator.api.Todo;
import dev.orchestrator.api.Usage;
import dev.orchestrator.core.llm.ModelPrices;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The steps a driver outside the engine takes over the fold: the budget's rule and a fold carried elsewhere. */
class MissionStepsTest {

    private static final Instant AT = Instant.parse("2026-11-30T12:00:00Z");
    private static final ModelPrices DOLLAR_A_TOKEN = MissionSteps.prices(Map.of("m",
            ModelPrice.perMillionTokens("1000000", "1000000")));

    private static MissionSteps planned() {
        MissionSteps steps = new MissionSteps("goal", "true", 3, 2, Set.of("worker"));
        steps.apply(new MissionEvent.MissionStarted("m1", "goal", "/w", "true", "", Map.of("ticket", "OPS-7"), AT));
        steps.apply(new MissionEvent.BriefWritten("brief", AT));
        steps.apply(new MissionEvent.TodosPlanned(0, List.of(Todo.of("t1", "one", List.of(), List.of()),
                Todo.of("t2", "two", List.of(), List.of("t1"))), List.of(), AT));
        steps.apply(call("plan/0", 100, 20));
        return steps;
    }

    private static MissionEvent.LlmCallCompleted call(String id, int in, int out) {
        return new MissionEvent.LlmCallCompleted("m1/" + id, id.substring(0, id.indexOf('/')), "planner",
                ChatResponse.ofText("ok", Usage.of(in, out), "m"), Optional.empty(), AT);
    }

    @Test
    void aRestoredCheckpointGoesOnFromTheSameFold() {
        MissionSteps steps = planned();
        MissionSteps restored = new MissionSteps("goal", "true", 3, 2, Set.of("worker"));
        restored.restore(steps.checkpoint());
        assertEquals(steps.events(), restored.events());
        assertTrue(restored.hasBrief() && restored.hasPlan());
        assertEquals(steps.usage(), restored.usage());
        assertEquals(steps.ready(Set.of(), 4), restored.ready(Set.of(), 4), "t1 is ready, t2 waits on it");
        Budget budget = new Budget(1_000, Optional.of(new BigDecimal("500")));
        assertEquals(steps.left(budget, DOLLAR_A_TOKEN), restored.left(budget, DOLLAR_A_TOKEN));
    }

    @Test
    void whatIsLeftOfTheBudgetIsWhatTheCallsDidNotSpend() {
        Budget left = planned().left(new Budget(1_000, Optional.of(new BigDecimal("500"))), DOLLAR_A_TOKEN);
        assertEquals(880, left.maxTokens());
        assertEquals(0, new BigDecimal("380").compareTo(left.maxDollars().orElseThrow()), left.toString());
        assertEquals(Long.MAX_VALUE, planned().left(Budget.UNLIMITED, DOLLAR_A_TOKEN).maxTokens());
    }

    @Test
    void theBudgetEndsTheMissionAsTheEmbeddedEngineSays() {
        MissionSteps steps = planned();
        assertEquals(Optional.empty(), steps.spent(Budget.ofTokens(121), DOLLAR_A_TOKEN));
        MissionSteps.End tokens = steps.spent(Budget.ofTokens(120), DOLLAR_A_TOKEN).orElseThrow();
        assertEquals(Outcome.BUDGET_EXHAUSTED, tokens.outcome());
        assertEquals(new BudgetGuard(Budget.ofTokens(120), DOLLAR_A_TOKEN).exhausted(steps.usage()).orElseThrow(),
                tokens.reason());
        MissionSteps.End unpriced = steps.spent(Budget.ofDollars("5"), ModelPrices.defaults()).orElseThrow();
        assertEquals(Outcome.FAILED, unpriced.outcome(), "a dollar budget cannot price model 'm'");
        assertTrue(unpriced.reason().contains("price of model 'm' is unknown"), unpriced.reason());
    }
}
