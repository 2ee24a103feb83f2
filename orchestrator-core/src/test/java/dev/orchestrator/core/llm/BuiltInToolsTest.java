package dev.orchestrator.core.llm;

import static dev.orchestrator.core.llm.ScriptedReplies.brief;
import static dev.orchestrator.core.llm.ScriptedReplies.issues;
import static dev.orchestrator.core.llm.ScriptedReplies.plan;
import static dev.orchestrator.core.llm.ScriptedReplies.runCommand;
import static dev.orchestrator.core.llm.ScriptedReplies.text;
import static dev.orchestrator.core.llm.ScriptedReplies.todo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.Agent;
import dev.orchestrator.api.Mission;
import dev.orchestrator.api.MissionEvent;
import dev.orchestrator.api.MissionResult;
import dev.orchestrator.api.ToolSpec;
import dev.orchestrator.core.internal.agents.Answers;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuiltInToolsTest {

    @TempDir
    Path workspace;

    @Test
    void aRemovedBuiltInIsNotOfferedAndACallOfItIsAnError() {
        List<List<String>> offered = new CopyOnWriteArrayList<>();
        List<MissionEvent.ToolCallCompleted> calls = new CopyOnWriteArrayList<>();
        ScriptedProvider provider = ScriptedProvider.builder()
                .onTask(Agent.COMMANDER, "triage", brief("Nothing to run."))
                .onTask(Agent.PLANNER, "plan", plan(todo("t1", "Look around")))
                .onTask(Agent.WORKER, "t1#1", request -> {
                    offered.add(request.tools().stream().map(ToolSpec::name).toList());
                    return runCommand("touch ran.txt").apply(request);
                }, text("could not run it"))
                .onTask(Agent.REVIEWER, "review-1", issues())
                .build();

        MissionResult result = Mission.builder().goal("Look around").workspace(workspace).provider(provider)
                .withoutTool("run_command").verifyWith("test ! -e ran.txt")
                .listener((event, progress) -> {
                    if (event instanceof MissionEvent.ToolCallCompleted call) {
                        calls.add(call);
                    }
                })
                .build().run();

        assertEquals(MissionResult.Outcome.COMPLETED, result.outcome(), result.reason());
        List<String> expected = new ArrayList<>(Mission.BUILT_IN_TOOLS);
        expected.remove("run_command");
        // and the built-in agents' own tool for the project memory, which is not a workspace tool
        expected.add(Answers.REMEMBER_TOOL);
        assertEquals(List.of(expected), offered, "the API's list of built-ins is the engine's, less the removed one");
        assertEquals(1, calls.size());
        assertTrue(calls.getFirst().result().isError(), calls.getFirst().result().content());
    }
}
