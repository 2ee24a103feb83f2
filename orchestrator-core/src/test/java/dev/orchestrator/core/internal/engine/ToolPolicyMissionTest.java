package dev.orchestrator.core.internal.engine;

import static dev.orchestrator.core.internal.engine.Scripts.brief;
import static dev.orchestrator.core.internal.engine.Scripts.noIssues;
import static dev.orchestrator.core.internal.engine.Scripts.writeFile;
import static dev.orchestrator.core.llm.ScriptedProvider.text;
import static dev.orchestrator.core.llm.ScriptedProvider.toolCall;
import static dev.orchestrator.core.llm.ScriptedReplies.plan;
import static dev.orchestrator.core.llm.ScriptedReplies.todo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.Agent;
import dev.orchestrator.api.Mission;
import dev.orchestrator.api.MissionEvent;
import dev.orchestrator.api.MissionResult;
import dev.orchestrator.api.ToolPolicy;
import dev.orchestrator.core.llm.ScriptedProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ToolPolicyMissionTest {

    @TempDir
    Path workspace;

    @Test
    void aReadOnlyMissionsWorkerIsToldItsWriteWasRefusedAndNothingIsWritten() {
        ScriptedProvider provider = ScriptedProvider.builder()
                .onTask(Agent.COMMANDER, "triage", brief())
                .onTask(Agent.PLANNER, "plan", plan(todo("look", "look around")))
                .onTask(Agent.WORKER, "look#1", toolCall("write_file", writeFile("a.txt", "x")),
                        toolCall("list_files", "{}"), text("looked"))
                .onRole(Agent.REVIEWER, noIssues())
                .build();
        List<MissionEvent> events = new CopyOnWriteArrayList<>();

        MissionResult result = Mission.builder().goal("look only").workspace(workspace).provider(provider)
                .verifyWith("true").toolPolicy(ToolPolicy.readOnly()).listener((event, progress) -> events.add(event))
                .build().run();

        assertTrue(result.isCompleted(), result::toString);
        assertFalse(Files.exists(workspace.resolve("a.txt")));
        List<String> refusals = events.stream().flatMap(e -> e instanceof MissionEvent.AgentNote note
                && note.role().equals("tool-policy") ? java.util.stream.Stream.of(note.text()) : java.util.stream.Stream.empty())
                .toList();
        assertEquals(1, refusals.size(), refusals::toString);
        assertTrue(refusals.getFirst().contains("write_file"), refusals.getFirst());
        assertTrue(events.stream().anyMatch(e -> e instanceof MissionEvent.ToolCallCompleted done
                && done.tool().equals("write_file") && done.result().isError()
                && done.result().content().contains("read-only")), events::toString);
    }
}
