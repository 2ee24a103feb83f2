package dev.orchestrator.core.internal.agents;

import static dev.orchestrator.core.llm.ScriptedProvider.text;
import static dev.orchestrator.core.llm.ScriptedProvider.toolCall;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.AgentResult;
import dev.orchestrator.api.ChatRequest;
import dev.orchestrator.api.Message;
import dev.orchestrator.api.Task;
import dev.orchestrator.api.ToolCall;
import dev.orchestrator.core.internal.context.ContextWindows;
import dev.orchestrator.core.llm.ScriptedProvider;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlannerTest {

    private static ScriptedContext context(ScriptedProvider provider, List<ChatRequest> sent) {
        return ScriptedContext.of(provider, sent, "planner", "plan");
    }

    @Test
    void aMalformedPlanGoesBackToTheModelWithTheValidationErrorUntilItIsRight() {
        List<ChatRequest> sent = new ArrayList<>();
        ScriptedProvider provider = ScriptedProvider.builder().onTask("planner", "plan",
                toolCall("submit_plan", "{\"todos\":[{\"id\":\"a\",\"description\":\"x\",\"depends_on\":[\"b\"]}]}"),
                text("here is my plan in prose"),
                toolCall("submit_plan", "{\"todos\":[{\"id\":\"a\",\"description\":\"x\"}]}")).build();

        AgentResult result = new Planner(ContextWindows.UNKNOWN).act(new Task.Plan("goal", "brief", ""),
                context(provider, sent));

        assertEquals(List.of("a"), ((AgentResult.Plan) result).todos().stream().map(t -> t.id()).toList());
        assertEquals(3, sent.size());
        Message.ToolResult correction = (Message.ToolResult) sent.get(1).messages().getLast();
        assertTrue(correction.isError());
        assertTrue(correction.content().contains("depends on 'b', which does not exist"), correction.content());
        Message.User nudge = (Message.User) sent.get(2).messages().getLast();
        assertTrue(nudge.text().contains("submit_plan"), nudge.text());
    }

    @Test
    void aModelThatNeverGivesAValidPlanMakesThePlannerGiveUpAfterItsTurnLimit() {
        List<ChatRequest> sent = new ArrayList<>();
        ScriptedProvider provider = ScriptedProvider.builder()
                .on(request -> true, toolCall("submit_plan", "{\"todos\":[]}")).build();

        AgentGaveUp gaveUp = assertThrows(AgentGaveUp.class,
                () -> new Planner(ContextWindows.UNKNOWN).act(new Task.Plan("goal", "brief", ""),
                        context(provider, sent)));

        assertTrue(gaveUp.getMessage().contains("the plan has no todos"), gaveUp.getMessage());
        assertEquals(16, sent.size());
    }

    @Test
    void aPlanCutOffByTheOutputLimitIsNotAcceptedEvenIfItParses() {
        ToolCall cut = new ToolCall("call_1", "submit_plan",
                "{\"todos\":[{\"id\":\"a\",\"description\":\"x\"}]}");
        ScriptedProvider provider = ScriptedProvider.builder().onTask("planner", "plan",
                WorkerAnswersTest.cutOff("", cut),
                toolCall("submit_plan", "{\"todos\":[{\"id\":\"a\",\"description\":\"x\"},"
                        + "{\"id\":\"b\",\"description\":\"y\"}]}")).build();

        AgentResult result = new Planner(ContextWindows.UNKNOWN).act(new Task.Plan("goal", "brief", ""),
                context(provider, new ArrayList<>()));

        assertEquals(List.of("a", "b"), ((AgentResult.Plan) result).todos().stream().map(t -> t.id()).toList());
    }
}
