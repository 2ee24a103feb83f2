package dev.orchestrator.core.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.Agent;
import dev.orchestrator.api.LlmException;
import dev.orchestrator.api.Mission;
import dev.orchestrator.api.MissionResult;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FailedCallMessageTest {

    @TempDir
    Path workspace;

    @Test
    void aFailedCallOfThePlannerIsReportedAsThePlanners() {
        ScriptedProvider provider = ScriptedProvider.builder()
                .onTask(Agent.COMMANDER, "triage", ScriptedReplies.brief("One file."))
                .on(request -> true, request -> {
                    throw new LlmException.InvalidRequest("the model 'x' does not exist", 404);
                })
                .build();

        MissionResult result = Mission.builder().goal("Write a.txt").workspace(workspace).provider(provider)
                .verifyWith("true").build().run();

        assertEquals(MissionResult.Outcome.FAILED, result.outcome());
        assertTrue(result.reason().startsWith("a model call of agent 'planner' on plan failed: the model 'x'"),
                result.reason());
    }
}
