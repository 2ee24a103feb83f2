package dev.orchestrator.core.internal.engine;

import static dev.orchestrator.core.internal.engine.Scripts.brief;
import static dev.orchestrator.core.internal.engine.Scripts.firstMessageContains;
import static dev.orchestrator.core.internal.engine.Scripts.noIssues;
import static dev.orchestrator.core.internal.engine.Scripts.role;
import static dev.orchestrator.core.internal.engine.Scripts.writeFile;
import static dev.orchestrator.core.llm.ScriptedProvider.text;
import static dev.orchestrator.core.llm.ScriptedProvider.toolCall;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.Agent;
import dev.orchestrator.api.Journal;
import dev.orchestrator.api.Mission;
import dev.orchestrator.api.MissionEvent;
import dev.orchestrator.api.MissionResult;
import dev.orchestrator.api.MissionResult.Outcome;
import dev.orchestrator.api.ToolResult;
import dev.orchestrator.core.llm.ScriptedProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MissionResumeTest {

    @TempDir
    Path root;

    /** A journal that accepts a fixed number of events and then fails, as a process does when it is killed. */
    static final class CrashingJournal implements Journal {
        final List<MissionEvent> events = new ArrayList<>();
        private final long capacity;

        CrashingJournal(long capacity, List<MissionEvent> history) {
            this.capacity = capacity;
            events.addAll(history);
        }

        @Override
        public synchronized CompletableFuture<Long> append(MissionEvent event) {
            if (events.size() >= capacity) {
                return CompletableFuture.failedFuture(new IOException("simulated crash"));
            }
            events.add(event);
            return CompletableFuture.completedFuture((long) events.size());
        }

        @Override
        public synchronized void replay(Consumer<? super MissionEvent> sink) {
            List.copyOf(events).forEach(sink);
        }

        @Override
        public void close() {
        }
    }

    /** Three todos, the third after the first two, a verify that fails until a fix todo corrects b.txt. */
    static ScriptedProvider provider() {
        return ScriptedProvider.builder()
                .onTask(Agent.COMMANDER, "triage", brief())
                .onTask(Agent.PLANNER, "plan", toolCall("submit_plan", """
                        {"todos":[{"id":"a","description":"write a"},{"id":"b","description":"write b"},
                        {"id":"c","description":"write c","depends_on":["a","b"]}]}"""))
                .onTask(Agent.WORKER, "a#1", toolCall("write_file", writeFile("a.txt", "A")),
                        toolCall("read_file", "{\"path\":\"a.txt\"}"), text("a"))
                .onTask(Agent.WORKER, "b#1", toolCall("write_file", writeFile("b.txt", "wrong")), text("b"))
                .onTask(Agent.WORKER, "c#1", toolCall("write_file", writeFile("c.txt", "C")), text("c"))
                .on(role(Agent.REVIEWER).and(firstMessageContains("exited with 0")), noIssues())
                .onRole(Agent.REVIEWER, toolCall("report_issues", "{\"issues\":[{\"description\":\"b is wrong\"}]}"))
                .onTask(Agent.COMMANDER, "fix-1", toolCall("plan_fixes",
                        "{\"todos\":[{\"id\":\"fix-b\",\"description\":\"make b right\"}]}"))
                .onTask(Agent.WORKER, "fix-b#1", toolCall("edit_file",
                        "{\"path\":\"b.txt\",\"old_text\":\"wrong\",\"new_text\":\"B\"}"), text("fixed b"))
                .build();
    }

    private MissionResult run(Path workspace, ScriptedProvider provider, Journal journal) {
        return Mission.builder().goal("three files").workspace(workspace).provider(provider)
                .verifyWith("grep -q B b.txt && test -f c.txt").journal(journal).build().run();
    }

    @Test
    void aMissionCutOffAfterAnyEventResumesAndRepeatsNoRecordedCall() throws IOException {
        Path reference = Files.createDirectory(root.resolve("reference"));
        ScriptedProvider crashFreeProvider = provider();
        CrashingJournal crashFree = new CrashingJournal(Long.MAX_VALUE, List.of());
        assertEquals(Outcome.COMPLETED, run(reference, crashFreeProvider, crashFree).outcome());
        long crashFreeCalls = crashFreeProvider.callCount();
        int totalEvents = crashFree.events.size();

        for (int cut = 1; cut < totalEvents; cut++) {
            Path workspace = Files.createDirectory(root.resolve("cut-" + cut));
            ScriptedProvider firstProvider = provider();
            CrashingJournal first = new CrashingJournal(cut, List.of());
            MissionResult crashed = run(workspace, firstProvider, first);
            assertEquals(Outcome.FAILED, crashed.outcome(), "cut " + cut);
            assertTrue(crashed.reason().contains("simulated crash"), crashed.reason());

            ScriptedProvider secondProvider = provider();
            CrashingJournal second = new CrashingJournal(Long.MAX_VALUE, first.events);
            MissionResult resumed = run(workspace, secondProvider, second);

            assertEquals(Outcome.COMPLETED, resumed.outcome(), "cut " + cut + ": " + resumed.reason());
            assertEquals(CrashHarness.files(reference), CrashHarness.files(workspace), "cut " + cut);
            long recordedBeforeCrash = first.events.stream().filter(MissionEvent.LlmCallCompleted.class::isInstance)
                    .count();
            assertEquals(crashFreeCalls - recordedBeforeCrash, secondProvider.callCount(),
                    "cut " + cut + ": the resumed run must make exactly the calls the journal lacks");
            assertTrue(second.events.get(cut) instanceof MissionEvent.MissionResumed, "cut " + cut);
            assertEquals(crashed.missionId(), resumed.missionId());
            assertEquals(crashFree.events.stream().filter(MissionEvent.LlmCallCompleted.class::isInstance).count(),
                    second.events.stream().filter(MissionEvent.LlmCallCompleted.class::isInstance).count(),
                    "cut " + cut + ": every call is recorded exactly once over both runs");
        }
    }

    @Test
    void aNewMissionGetsARandomIdOrItsFixedOneAndAResumedOneKeepsItsJournals() throws IOException {
        Path workspace = Files.createDirectory(root.resolve("w"));
        CrashingJournal first = new CrashingJournal(1, List.of()); // fails after MissionStarted
        MissionResult crashed = run(workspace, provider(), first);
        assertEquals(crashed.missionId(), UUID.fromString(crashed.missionId()).toString());
        assertEquals(crashed.missionId(), ((MissionEvent.MissionStarted) first.events.getFirst()).missionId());

        // the id is made by the engine, for a new mission only: a resume takes the journal's
        CrashingJournal second = new CrashingJournal(2, first.events);
        assertEquals(crashed.missionId(), run(workspace, provider(), second).missionId());
        MissionResult fresh = run(workspace, provider(), new CrashingJournal(1, List.of()));
        assertNotEquals(crashed.missionId(), fresh.missionId());

        CrashingJournal fixed = new CrashingJournal(1, List.of());
        assertEquals("m-7", Mission.builder().goal("three files").workspace(workspace).provider(provider())
                .verifyWith("true").missionId("m-7").journal(fixed).build().run().missionId());
        // a fixed id the journal contradicts loses to the journal: the journal is the mission
        assertEquals(crashed.missionId(), Mission.builder().goal("three files").workspace(workspace)
                .provider(provider()).verifyWith("true").missionId("m-8")
                .journal(new CrashingJournal(2, first.events)).build().run().missionId());
    }

    @Test
    void resumingAFinishedMissionReturnsItsResultWithoutAnyCall() {
        CrashingJournal journal = new CrashingJournal(Long.MAX_VALUE, List.of());
        MissionResult first = run(root, provider(), journal);
        int events = journal.events.size();

        ScriptedProvider again = provider();
        AtomicInteger threads = new AtomicInteger();
        MissionResult second = Mission.builder().goal("three files").workspace(root).provider(again)
                .verifyWith("grep -q B b.txt && test -f c.txt").journal(journal)
                .threadFactory(task -> {
                    threads.incrementAndGet();
                    return Thread.ofVirtual().unstarted(task);
                }).build().run();

        assertEquals(first.outcome(), second.outcome());
        assertEquals(first.todos(), second.todos());
        assertEquals(first.usage(), second.usage());
        assertEquals(0, again.callCount());
        assertEquals(events, journal.events.size());
        assertEquals(0, threads.get(), "a completed mission's result needs no thread, not even the Commander's");
    }

    @Test
    void aJournalOfAnotherGoalIsRefused() {
        CrashingJournal journal = new CrashingJournal(Long.MAX_VALUE, List.of());
        run(root, provider(), journal);

        IllegalArgumentException refused = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Mission.builder().goal("another goal").workspace(root).provider(provider()).verifyWith("true")
                        .journal(journal).build().run());
        assertTrue(refused.getMessage().contains("with the goal 'three files'"), refused.getMessage());
    }

    @Test
    void aCutOffCallOfAToolThatIsNotIdempotentIsReportedInsteadOfRepeated() throws IOException {
        ToolResult reported = cutOffAndResumed("{\"command\":\"echo once >> log.txt\"}");

        assertEquals("once\n", Files.readString(root.resolve("crashed").resolve("log.txt")));
        assertTrue(reported.isError());
        assertTrue(reported.content().contains("the command is not running"), reported.content());
        assertTrue(reported.content().contains("run it again if you still need its result"), reported.content());
    }

    @Test
    void aCutOffBackgroundCommandIsReportedAsNotRunningWithWhatToDo() throws IOException {
        ToolResult reported = cutOffAndResumed(
                "{\"command\":\"echo started >> log.txt; sleep 30\",\"background\":true}");

        String answer = reported.content();
        assertTrue(reported.isError(), answer);
        // before: "cut off by a crash and is not repeated ... check what it did", as if it might still be running
        assertTrue(answer.contains("in the background was cut off by a crash"), answer);
        assertTrue(answer.contains("the command is not running"), answer);
        assertTrue(answer.contains("start it again with run_command and background true"), answer);
        // the crashed run's command may have been ended before it wrote (or after its shell opened the file, but
        // before it wrote); the resumed run's never ran
        Path log = root.resolve("crashed").resolve("log.txt");
        String logged = Files.exists(log) ? Files.readString(log) : "";
        assertTrue(logged.equals("") || logged.equals("started\n"), "the command was repeated: " + logged);
    }

    /**
     * Runs a mission whose one Worker calls run_command with {@code arguments} in {@code crashed}, crashes it as the
     * command's result is journaled, resumes it, and returns what the resumed run answered that call with.
     */
    private ToolResult cutOffAndResumed(String arguments) throws IOException {
        ScriptedProvider.Builder script = ScriptedProvider.builder()
                .onTask(Agent.COMMANDER, "triage", brief())
                .onTask(Agent.PLANNER, "plan", toolCall("submit_plan", "{\"todos\":[{\"id\":\"t\",\"description\":\"x\"}]}"))
                .onTask(Agent.WORKER, "t#1", toolCall("run_command", arguments), text("ran it"))
                .onRole(Agent.REVIEWER, noIssues());
        CrashingJournal reference = new CrashingJournal(Long.MAX_VALUE, List.of());
        run(Files.createDirectory(root.resolve("reference")), script.build(), reference);
        // the crash comes as the command's result is journaled: it ran (its CommandStarted, journaled before it may
        // run, lies between)
        int completed = indexOf(reference.events, MissionEvent.ToolCallCompleted.class);
        Path workspace = Files.createDirectory(root.resolve("crashed"));

        CrashingJournal first = new CrashingJournal(completed, List.of());
        run(workspace, script.build(), first);
        CrashingJournal second = new CrashingJournal(Long.MAX_VALUE, first.events);
        run(workspace, script.build(), second);
        return ((MissionEvent.ToolCallCompleted) second.events.get(
                indexOf(second.events, MissionEvent.ToolCallCompleted.class))).result();
    }

    private static int indexOf(List<MissionEvent> events, Class<?> type) {
        for (int i = 0; i < events.size(); i++) {
            if (type.isInstance(events.get(i))) {
                return i;
            }
        }
        throw new AssertionError("no " + type.getSimpleName() + " in " + events);
    }
}
