package dev.orchestrator.core.internal.agents;

import static dev.orchestrator.core.llm.ScriptedProvider.text;
import static dev.orchestrator.core.llm.ScriptedProvider.toolCall;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.AgentContext;
import dev.orchestrator.api.AgentResult;
import dev.orchestrator.api.ChatRequest;
import dev.orchestrator.api.Message;
import dev.orchestrator.api.ProjectMemory;
import dev.orchestrator.api.Task;
import dev.orchestrator.api.ToolBox;
import dev.orchestrator.api.ToolCall;
import dev.orchestrator.api.ToolSpec;
import dev.orchestrator.api.Workspace;
import dev.orchestrator.core.llm.ScriptedProvider;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlannerTest {

    /** A context whose model is a script and which has no tools, to watch the Planner's conversation alone. */
    private static AgentContext context(ScriptedProvider provider, List<ChatRequest> sent) {
        return new AgentContext() {
            @Override
            public String missionId() {
                return "m";
            }

            @Override
            public dev.orchestrator.api.LlmGateway llm() {
                return request -> {
                    ChatRequest tagged = request.toBuilder().metadata(ChatRequest.ROLE, "planner")
                            .metadata(ChatRequest.TASK, "plan").build();
                    sent.add(tagged);
                    return provider.chat(tagged);
                };
            }

            @Override
            public ToolBox tools() {
                return new ToolBox() {
                    @Override
                    public List<ToolSpec> specs() {
                        return List.of();
                    }

                    @Override
                    public Message.ToolResult call(ToolCall call, int turn, int index) {
                        throw new AssertionError("the planner has no tools here");
                    }
                };
            }

            @Override
            public Workspace workspace() {
                throw new AssertionError("not needed");
            }

            @Override
            public ProjectMemory memory() {
                throw new AssertionError("not needed");
            }

            @Override
            public void emit(String note) {
            }
        };
    }

    @Test
    void aMalformedPlanGoesBackToTheModelWithTheValidationErrorUntilItIsRight() {
        List<ChatRequest> sent = new ArrayList<>();
        ScriptedProvider provider = ScriptedProvider.builder().onTask("planner", "plan",
                toolCall("submit_plan", "{\"todos\":[{\"id\":\"a\",\"description\":\"x\",\"depends_on\":[\"b\"]}]}"),
                text("here is my plan in prose"),
                toolCall("submit_plan", "{\"todos\":[{\"id\":\"a\",\"description\":\"x\"}]}")).build();

        AgentResult result = new Planner().act(new Task.Plan("goal", "brief", ""), context(provider, sent));

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
                () -> new Planner().act(new Task.Plan("goal", "brief", ""), context(provider, sent)));

        assertTrue(gaveUp.getMessage().contains("the plan has no todos"), gaveUp.getMessage());
        assertEquals(16, sent.size());
    }
}
