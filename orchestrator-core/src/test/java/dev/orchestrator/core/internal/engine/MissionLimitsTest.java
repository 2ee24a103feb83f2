package dev.orchestrator.core.internal.engine;

import static dev.orchestrator.core.internal.engine.Scripts.brief;
import static dev.orchestrator.core.llm.ScriptedProvider.text;
import static dev.orchestrator.core.llm.ScriptedProvider.toolCall;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.Agent;
import dev.orchestrator.api.Budget;
import dev.orchestrator.api.ChatResponse;
import dev.orchestrator.api.LlmException;
import dev.orchestrator.api.Mission;
import dev.orchestrator.api.MissionHandle;
import dev.orchestrator.api.MissionResult;
import dev.orchestrator.api.MissionResult.Outcome;
import dev.orchestrator.api.ModelPrice;
import dev.orchestrator.api.RateLimits;
import dev.orchestrator.api.StopReason;
import dev.orchestrator.api.ToolCall;
import dev.orchestrator.api.Usage;
import dev.orchestrator.core.llm.ScriptedProvider;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MissionLimitsTest {

    @TempDir
    Path workspace;

    private ScriptedProvider.Builder planOfOneTodo() {
        return ScriptedProvider.builder()
                .onTask(Agent.COMMANDER, "triage", brief())
                .onTask(Agent.PLANNER, "plan", toolCall("submit_plan", "{\"todos\":[{\"id\":\"t\",\"description\":\"x\"}]}"));
    }

    @Test
    void aMissionThatCannotPassStopsAtTheIterationLimit() throws InterruptedException {
        ScriptedProvider provider = planOfOneTodo()
                .onRole(Agent.WORKER, text("done"))
                .onRole(Agent.REVIEWER, toolCall("report_issues", "{\"issues\":[{\"description\":\"still red\"}]}"))
                .onRole(Agent.COMMANDER, toolCall("plan_fixes", "{\"todos\":[]}"))
                .build();
        TrackingThreads threads = new TrackingThreads();

        MissionResult result = Mission.builder().goal("impossible").workspace(workspace).provider(provider)
                .verifyWith("exit 1").maxIterations(3).threadFactory(threads).build().run();

        assertEquals(Outcome.ITERATION_LIMIT, result.outcome());
        assertEquals(3, result.iterations());
        // the failing verify command is an open issue of its own, beside the Reviewer's
        assertEquals(2, result.openIssues().size());
        assertTrue(result.openIssues().getFirst().description().startsWith("the verify command `exit 1` fails"));
        assertEquals("still red", result.openIssues().get(1).description());
        assertTrue(result.reason().contains("after 3 reviews"), result.reason());
        threads.assertAllEnded();
    }

    @Test
    void theTokenBudgetStopsTheMissionAfterTheCallThatCrossedIt() throws InterruptedException {
        ScriptedProvider provider = planOfOneTodo()
                .usagePerCall(Usage.of(900, 100))
                .onRole(Agent.WORKER, toolCall("list_files", "{}"))
                .build();
        TrackingThreads threads = new TrackingThreads();

        MissionResult result = Mission.builder().goal("spend").workspace(workspace).provider(provider)
                .verifyWith("true").budget(Budget.ofTokens(4_500)).maxWorkerTurns(100).threadFactory(threads)
                .build().run();

        assertEquals(Outcome.BUDGET_EXHAUSTED, result.outcome(), result.reason());
        assertEquals(5, provider.callCount());
        assertEquals(5_000, result.usage().totalTokens());
        assertTrue(result.reason().contains("token budget of 4500"), result.reason());
        threads.assertAllEnded();
    }

    @Test
    void aDollarBudgetWithoutThePriceOfTheModelStopsBeforeSpendingMore() {
        ScriptedProvider provider = planOfOneTodo().build();

        MissionResult result = Mission.builder().goal("spend").workspace(workspace).provider(provider)
                .verifyWith("true").budget(Budget.ofDollars("1.00")).build().run();

        assertEquals(Outcome.FAILED, result.outcome());
        assertEquals(1, provider.callCount());
        assertTrue(result.reason().contains("price of model 'scripted' is unknown"), result.reason());
    }

    @Test
    void aDollarBudgetPricesDatedModelNamesUnderTheirPlainNameAndStopsAtTheLimit() {
        ChatResponse costsOneDollar = new ChatResponse("", List.of(new ToolCall("call", "list_files", "{}")),
                StopReason.TOOL_USE, Usage.of(1_000_000, 0), "house-model-2025-01-31", RateLimits.UNKNOWN);
        ScriptedProvider provider = planOfOneTodo()
                .usagePerCall(Usage.ZERO)
                .onRole(Agent.WORKER, request -> costsOneDollar)
                .build();

        MissionResult result = Mission.builder().goal("spend").workspace(workspace).provider(provider)
                .verifyWith("true").budget(Budget.ofDollars("2.50"))
                .price("house-model", ModelPrice.perMillionTokens("1.00", "2.00")).maxWorkerTurns(100)
                .build().run();

        assertEquals(Outcome.BUDGET_EXHAUSTED, result.outcome(), result.reason());
        assertEquals(2 + 3, provider.callCount());
        assertTrue(result.reason().contains("dollar budget of $2.50 reached ($3"), result.reason());
    }

    @Test
    void cancellingInterruptsRunningWorkersAndEndsEveryThread() throws InterruptedException {
        CountDownLatch workerStarted = new CountDownLatch(1);
        ScriptedProvider provider = planOfOneTodo()
                .onRole(Agent.WORKER, request -> {
                    workerStarted.countDown();
                    try {
                        new CountDownLatch(1).await();
                    } catch (InterruptedException e) {
                        throw new LlmException.Transient("interrupted", 0, e);
                    }
                    throw new AssertionError("unreachable");
                })
                .build();
        TrackingThreads threads = new TrackingThreads();
        MissionHandle handle = Mission.builder().goal("wait").workspace(workspace).provider(provider)
                .verifyWith("true").threadFactory(threads).build().start();

        workerStarted.await();
        handle.cancel();
        MissionResult result = handle.await();

        assertEquals(Outcome.CANCELLED, result.outcome());
        assertEquals("cancelled by the caller", result.reason());
        threads.assertAllEnded();
    }

    @Test
    void anAuthenticationFailureEndsTheMissionWithWhatToFix() {
        ScriptedProvider provider = ScriptedProvider.builder()
                .onRole(Agent.COMMANDER, request -> {
                    throw new LlmException.AuthenticationFailed("invalid x-api-key (set ANTHROPIC_API_KEY)", 401);
                })
                .build();

        MissionResult result = Mission.builder().goal("x").workspace(workspace).provider(provider)
                .verifyWith("true").build().run();

        assertEquals(Outcome.FAILED, result.outcome());
        assertTrue(result.reason().contains("refused the credentials"), result.reason());
        assertTrue(result.reason().contains("ANTHROPIC_API_KEY"), result.reason());
    }
}
