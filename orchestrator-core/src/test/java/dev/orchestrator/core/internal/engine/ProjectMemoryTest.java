package dev.orchestrator.core.internal.engine;

import static dev.orchestrator.core.llm.ScriptedReplies.brief;
import static dev.orchestrator.core.llm.ScriptedReplies.issues;
import static dev.orchestrator.core.llm.ScriptedReplies.plan;
import static dev.orchestrator.core.llm.ScriptedReplies.remember;
import static dev.orchestrator.core.llm.ScriptedReplies.text;
import static dev.orchestrator.core.llm.ScriptedReplies.todo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.Agent;
import dev.orchestrator.api.ChatRequest;
import dev.orchestrator.api.Journal;
import dev.orchestrator.api.Message;
import dev.orchestrator.api.Mission;
import dev.orchestrator.api.MissionEvent;
import dev.orchestrator.api.MissionResult;
import dev.orchestrator.api.MissionResult.Outcome;
import dev.orchestrator.core.internal.engine.MissionResumeTest.CrashingJournal;
import dev.orchestrator.core.llm.ScriptedProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The project memory across missions: what the agents note with {@code remember} reaches the next mission's system
 * prompts, the file stays within its bound however many missions add to it, and a resumed mission notes nothing
 * twice.
 */
class ProjectMemoryTest {

    @TempDir
    Path root;

    /** A mission whose Planner and Reviewer each note something, and whose Worker answers at once. */
    private static ScriptedProvider noting(String plannerNote, String reviewerNote, List<ChatRequest> seen) {
        return ScriptedProvider.builder()
                .on(request -> !seen.add(request), text("never"))
                .onTask(Agent.COMMANDER, "triage", brief("One file."))
                .onTask(Agent.PLANNER, "plan", remember(plannerNote), plan(todo("t1", "Write a.txt")))
                .onTask(Agent.WORKER, "t1#1", text("done"))
                .onTask(Agent.REVIEWER, "review-1", remember(reviewerNote), issues())
                .build();
    }

    private MissionResult run(String goal, ScriptedProvider provider, Journal journal, Path memoryFile) {
        return Mission.builder().goal(goal).workspace(root).provider(provider).verifyWith("true")
                .journal(journal).memoryFile(memoryFile).build().run();
    }

    @Test
    void missionTwoHasWhatMissionOneNotedInEveryRolesSystemPrompt() throws IOException {
        Path memory = root.resolve("memory.md");
        List<ChatRequest> first = Collections.synchronizedList(new ArrayList<>());
        assertEquals(Outcome.COMPLETED, run("first", noting("Build with `make check`.", "Tests live in t/",
                first), new CrashingJournal(Long.MAX_VALUE, List.of()), memory).outcome());
        assertEquals("# Project memory\n\n- Build with `make check`.\n- Tests live in t/\n", Files.readString(memory));
        assertFalse(first.getFirst().system().contains("Project memory"), "mission 1 starts with no memory");

        List<ChatRequest> second = Collections.synchronizedList(new ArrayList<>());
        assertEquals(Outcome.COMPLETED, run("second", noting("build with `make check`", "Docs are in docs/",
                second), new CrashingJournal(Long.MAX_VALUE, List.of()), memory).outcome());

        Map<String, String> systemByRole = new LinkedHashMap<>();
        for (ChatRequest request : second) {
            String role = request.metadata(ChatRequest.ROLE).orElseThrow();
            assertTrue(request.system().endsWith("- Build with `make check`.\n- Tests live in t/"), role
                    + "'s system prompt ends with the memory: " + request.system());
            // the memory sits in the stable prefix: the same bytes on every call of a role
            String earlier = systemByRole.putIfAbsent(role, request.system());
            assertTrue(earlier == null || earlier.equals(request.system()), role);
        }
        assertEquals(List.of(Agent.COMMANDER, Agent.PLANNER, Agent.WORKER, Agent.REVIEWER),
                List.copyOf(systemByRole.keySet()));
        // noted again by the second mission, the build command ranks first; the note mission 2 added is new
        assertEquals("# Project memory\n\n- build with `make check` (noted by 2 missions)\n- Docs are in docs/\n"
                + "- Tests live in t/\n", Files.readString(memory));
    }

    @Test
    void theMemoryFileStaysWithinItsBoundOverAHundredMissions() throws IOException {
        Path memory = root.resolve("memory.md");
        for (int mission = 1; mission <= 100; mission++) {
            String padding = " so that a hundred missions of notes would fill the file many times over";
            String learned = "Mission " + mission + " learned that module " + mission + " needs care" + padding;
            MissionResult result = run("mission " + mission, noting("Run `./gradlew check` before committing.",
                    learned, new ArrayList<>()), new CrashingJournal(Long.MAX_VALUE, List.of()), memory);
            assertEquals(Outcome.COMPLETED, result.outcome(), result.reason());
            String text = Files.readString(memory);
            assertTrue(text.length() <= MemoryFile.MAX_CHARS, "mission " + mission + ": " + text.length());
        }
        List<MemoryFile.Entry> entries = MemoryFile.parse(Files.readString(memory)).entries();
        assertEquals(new MemoryFile.Entry("Run `./gradlew check` before committing.", 100), entries.getFirst());
        assertTrue(entries.get(1).text().startsWith("Mission 100 learned"), "the newest note comes next");
        assertTrue(entries.stream().noneMatch(entry -> entry.text().startsWith("Mission 1 learned")),
                "the oldest notes were dropped");
        int dropped = MemoryFile.parse(Files.readString(memory)).dropped();
        assertEquals(100 - (entries.size() - 1), dropped, "the file counts what it dropped");
        assertTrue(Files.readString(memory).contains("_" + dropped + " notes dropped so far"));
    }

    @Test
    void aMissionCutOffAfterAnyEventAndResumedNotesEachThingOnce() throws IOException {
        CrashingJournal reference = new CrashingJournal(Long.MAX_VALUE, List.of());
        run("goal", noting("Build with make.", "Lint with ruff.", new ArrayList<>()), reference,
                root.resolve("reference.md"));
        String expected = Files.readString(root.resolve("reference.md"));

        for (int cut = 1; cut < reference.events.size(); cut++) {
            Path memory = root.resolve("memory-" + cut + ".md");
            CrashingJournal first = new CrashingJournal(cut, List.of());
            assertEquals(Outcome.FAILED, run("goal", noting("Build with make.", "Lint with ruff.",
                    new ArrayList<>()), first, memory).outcome());
            CrashingJournal second = new CrashingJournal(Long.MAX_VALUE, first.events);
            MissionResult resumed = run("goal", noting("Build with make.", "Lint with ruff.", new ArrayList<>()),
                    second, memory);

            assertEquals(Outcome.COMPLETED, resumed.outcome(), "cut " + cut + ": " + resumed.reason());
            assertEquals(List.of("Build with make.", "Lint with ruff."), second.events.stream()
                    .filter(MissionEvent.MemoryNoted.class::isInstance)
                    .map(event -> ((MissionEvent.MemoryNoted) event).note()).toList(), "cut " + cut);
            // saved when the cut-off run ended and again when the resumed one did: the same file
            assertEquals(expected, Files.readString(memory), "cut " + cut);
        }
    }

    @Test
    void aNoteTheModelCannotKeepIsRefusedWithWhatToDo() {
        List<ChatRequest> seen = Collections.synchronizedList(new ArrayList<>());
        assertEquals(Outcome.COMPLETED, run("goal", noting("x".repeat(501), "fine", seen),
                new CrashingJournal(Long.MAX_VALUE, List.of()), root.resolve("memory.md")).outcome());
        Message.ToolResult refused = seen.stream()
                .filter(request -> request.metadata(ChatRequest.ROLE).orElseThrow().equals(Agent.PLANNER))
                .flatMap(request -> request.messages().stream())
                .filter(Message.ToolResult.class::isInstance).map(Message.ToolResult.class::cast)
                .findFirst().orElseThrow();
        assertTrue(refused.isError());
        assertTrue(refused.content().contains("at most 500 characters"), refused.content());
    }
}
