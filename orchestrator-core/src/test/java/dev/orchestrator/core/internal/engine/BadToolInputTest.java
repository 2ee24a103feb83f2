package dev.orchestrator.core.internal.engine;

import static dev.orchestrator.core.internal.engine.Scripts.brief;
import static dev.orchestrator.core.internal.engine.Scripts.noIssues;
import static dev.orchestrator.core.internal.engine.Scripts.writeFile;
import static dev.orchestrator.core.llm.ScriptedProvider.text;
import static dev.orchestrator.core.llm.ScriptedProvider.toolCall;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.Agent;
import dev.orchestrator.api.Mission;
import dev.orchestrator.api.MissionEvent;
import dev.orchestrator.api.MissionResult;
import dev.orchestrator.core.llm.ScriptedProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BadToolInputTest {

    @TempDir
    Path root;

    @Test
    void badToolCallsComeBackAsErrorResultsAndTheWorkerGoesOn() throws IOException {
        Path workspace = Files.createDirectory(root.resolve("workspace"));
        Path outside = Files.createDirectory(root.resolve("outside"));
        Files.createSymbolicLink(workspace.resolve("escape"), outside);
        ScriptedProvider provider = ScriptedProvider.builder()
                .onTask(Agent.COMMANDER, "triage", brief())
                .onTask(Agent.PLANNER, "plan", toolCall("submit_plan", "{\"todos\":[{\"id\":\"t\",\"description\":\"x\"}]}"))
                .onTask(Agent.WORKER, "t#1",
                        toolCall("write_file", "{\"path\": \"a.txt\", \"content\": "),
                        toolCall("delete_everything", "{}"),
                        toolCall("write_file", writeFile("../x.txt", "out")),
                        toolCall("write_file", writeFile(outside.resolve("abs.txt").toString(), "out")),
                        toolCall("write_file", writeFile("a.txt", "in")),
                        toolCall("write_file", writeFile("escape/linked.txt", "out")),
                        toolCall("read_file", "{\"path\":\"escape\"}"),
                        text("done despite the errors"))
                .onTask(Agent.REVIEWER, "review-1", noIssues())
                .build();
        List<MissionEvent.ToolCallCompleted> results = Collections.synchronizedList(new ArrayList<>());

        MissionResult result = Mission.builder().goal("x").workspace(workspace).provider(provider)
                .verifyWith("test -f a.txt")
                .listener((event, progress) -> {
                    if (event instanceof MissionEvent.ToolCallCompleted completed) {
                        results.add(completed);
                    }
                })
                .build().run();

        assertEquals(MissionResult.Outcome.COMPLETED, result.outcome(), result.reason());
        assertEquals(7, results.size());
        assertError(results.get(0), "not valid JSON");
        assertError(results.get(1), "unknown tool 'delete_everything': use one of");
        assertError(results.get(2), "outside the workspace");
        assertError(results.get(3), "is absolute");
        assertFalse(results.get(4).result().isError());
        assertError(results.get(5), "through a symbolic link");
        assertError(results.get(6), "through a symbolic link");
        assertEquals("in", Files.readString(workspace.resolve("a.txt")));
        try (var left = Files.list(outside)) {
            assertEquals(0, left.count(), "nothing may be written outside the workspace");
        }
        assertFalse(Files.exists(root.resolve("x.txt")));
    }

    private static void assertError(MissionEvent.ToolCallCompleted completed, String expected) {
        assertTrue(completed.result().isError(), completed::toString);
        assertTrue(completed.result().content().contains(expected),
                () -> "expected '" + expected + "' in: " + completed.result().content());
    }

    @Test
    void aWorkerWhoseToolCallsKeepFailingGivesUpAndTheTodoFails() throws IOException {
        ScriptedProvider provider = ScriptedProvider.builder()
                .onTask(Agent.COMMANDER, "triage", brief())
                .onTask(Agent.PLANNER, "plan", toolCall("submit_plan", "{\"todos\":[{\"id\":\"t\",\"description\":\"x\"}]}"))
                .onRole(Agent.WORKER, toolCall("read_file", "{\"path\":\"missing.txt\"}"))
                .onRole(Agent.REVIEWER, noIssues())
                .onRole(Agent.COMMANDER, toolCall("plan_fixes", "{\"todos\":[]}"))
                .build();

        MissionResult result = Mission.builder().goal("x").workspace(root).provider(provider).verifyWith("true")
                .maxAttempts(2).maxIterations(2).build().run();

        // two attempts of five failing turns each; the Commander plans nothing in its place, so the todo is dropped,
        // its work is not done and the mission cannot complete
        assertEquals(MissionResult.Outcome.ITERATION_LIMIT, result.outcome(), result.reason());
        assertTrue(result.reason().contains("1 todo is not done (t dropped)"), result.reason());
        assertEquals(dev.orchestrator.api.TodoStatus.State.DROPPED, result.todos().getFirst().state());
        assertEquals(2, result.todos().getFirst().attempts());
        assertTrue(result.todos().getFirst().summary().contains("failed 5 turns in a row"),
                result.todos().getFirst().summary());
        assertEquals(1 + 1 + 2 * 5 + 1 + 1 + 1, provider.callCount());
    }
}
