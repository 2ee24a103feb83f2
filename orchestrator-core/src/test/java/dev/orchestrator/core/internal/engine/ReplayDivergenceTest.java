package dev.orchestrator.core.internal.engine;

import static dev.orchestrator.core.internal.engine.Scripts.brief;
import static dev.orchestrator.core.internal.engine.Scripts.noIssues;
import static dev.orchestrator.core.internal.engine.Scripts.role;
import static dev.orchestrator.core.llm.ScriptedProvider.text;
import static dev.orchestrator.core.llm.ScriptedProvider.toolCall;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.Agent;
import dev.orchestrator.api.AgentContext;
import dev.orchestrator.api.AgentResult;
import dev.orchestrator.api.ChatRequest;
import dev.orchestrator.api.Message;
import dev.orchestrator.api.Mission;
import dev.orchestrator.api.MissionEvent;
import dev.orchestrator.api.MissionEvent.LlmCallCompleted;
import dev.orchestrator.api.MissionResult;
import dev.orchestrator.api.MissionResult.Outcome;
import dev.orchestrator.api.Task;
import dev.orchestrator.core.internal.engine.MissionResumeTest.CrashingJournal;
import dev.orchestrator.core.journal.FileJournal;
import dev.orchestrator.core.llm.ScriptedProvider;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A resumed task whose agent asks a recorded call differently (its prompt changed between versions) is not answered
 * from the journal: the divergence is journaled and the task goes live from there.
 */
class ReplayDivergenceTest {

    @TempDir
    Path workspace;

    /** A Worker that asks two questions under {@code system} and reports both answers. */
    private record Asker(String system) implements Agent {
        @Override
        public String role() {
            return Agent.WORKER;
        }

        @Override
        public AgentResult act(Task task, AgentContext context) {
            String first = context.llm().chat(ChatRequest.builder().system(system)
                    .message(new Message.User("first")).build()).text();
            String second = context.llm().chat(ChatRequest.builder().system(system)
                    .message(new Message.User("first")).message(new Message.Assistant(first, List.of()))
                    .message(new Message.User("second")).build()).text();
            return new AgentResult.Done(first + " / " + second);
        }
    }

    /** The Worker answers with the system prompt it was asked under and the turn, so a reply shows its request. */
    private static ScriptedProvider provider() {
        return ScriptedProvider.builder()
                .onTask(Agent.COMMANDER, "triage", brief())
                .onTask(Agent.PLANNER, "plan",
                        toolCall("submit_plan", "{\"todos\":[{\"id\":\"a\",\"description\":\"ask\"}]}"))
                .onRole(Agent.WORKER, request -> text(request.system() + " turn " + ScriptedProvider.turnOf(request))
                        .apply(request))
                .onRole(Agent.REVIEWER, noIssues())
                .build();
    }

    private MissionResult run(String system, ScriptedProvider provider, CrashingJournal journal) {
        return Mission.builder().goal("ask twice").workspace(workspace).provider(provider).verifyWith("true")
                .agent(new Asker(system)).journal(journal).build().run();
    }

    /** The journal of a mission cut off right after the Worker's first call was recorded. */
    private List<MissionEvent> cutAfterTheWorkersFirstCall() {
        CrashingJournal reference = new CrashingJournal(Long.MAX_VALUE, List.of());
        assertEquals(Outcome.COMPLETED, run("v1", provider(), reference).outcome());
        int firstCall = indexOfWorkerCall(reference.events);
        CrashingJournal cut = new CrashingJournal(firstCall + 1, List.of());
        assertEquals(Outcome.FAILED, run("v1", provider(), cut).outcome());
        assertEquals(firstCall + 1, cut.events.size());
        return cut.events;
    }

    @Test
    void aCallAskedDifferentlyGoesLiveAndSaysSo() {
        List<MissionEvent> journal = cutAfterTheWorkersFirstCall();
        LlmCallCompleted recorded = (LlmCallCompleted) journal.get(indexOfWorkerCall(journal));
        assertTrue(recorded.requestHash().isPresent(), "each call is journaled with its request's hash");

        CrashingJournal resumed = new CrashingJournal(Long.MAX_VALUE, journal);
        ScriptedProvider provider = provider();
        assertEquals(Outcome.COMPLETED, run("v2", provider, resumed).outcome());

        List<MissionEvent> after = resumed.events.subList(journal.size(), resumed.events.size());
        assertEquals(List.of(new MissionEvent.ReplayDiverged(recorded.callId(), "a#1", at(after))),
                after.stream().filter(MissionEvent.ReplayDiverged.class::isInstance).toList());
        assertEquals("v2 turn 0 / v2 turn 1", summary(resumed.events), "both calls were asked of the model");
        assertEquals(3, provider.callCount(), "the Worker's two calls and the review: nothing from the journal");
    }

    @Test
    void aCallAskedAsRecordedIsAnsweredFromTheJournal() {
        List<MissionEvent> journal = cutAfterTheWorkersFirstCall();
        CrashingJournal resumed = new CrashingJournal(Long.MAX_VALUE, journal);
        ScriptedProvider provider = provider();
        assertEquals(Outcome.COMPLETED, run("v1", provider, resumed).outcome());

        assertTrue(resumed.events.stream().noneMatch(MissionEvent.ReplayDiverged.class::isInstance));
        assertEquals("v1 turn 0 / v1 turn 1", summary(resumed.events));
        assertEquals(2, provider.callCount(), "the Worker's second call and the review");
    }

    @Test
    void aCallRecordedWithoutAHashIsTrusted() {
        // a journal written before requests were hashed: the recorded answer stands, whatever is asked now
        List<MissionEvent> journal = cutAfterTheWorkersFirstCall().stream()
                .map(e -> e instanceof LlmCallCompleted c
                        ? new LlmCallCompleted(c.callId(), c.taskId(), c.role(), c.response(), c.at()) : e)
                .toList();
        CrashingJournal resumed = new CrashingJournal(Long.MAX_VALUE, journal);
        ScriptedProvider provider = provider();
        assertEquals(Outcome.COMPLETED, run("v2", provider, resumed).outcome());

        assertTrue(resumed.events.stream().noneMatch(MissionEvent.ReplayDiverged.class::isInstance));
        assertEquals("v1 turn 0 / v2 turn 1", summary(resumed.events));
        assertEquals(2, provider.callCount());
    }

    @Test
    void aTaskCutOffAgainAfterItDivergedResumesFromItsNewCalls() {
        List<MissionEvent> journal = cutAfterTheWorkersFirstCall();
        CrashingJournal reference = new CrashingJournal(Long.MAX_VALUE, journal);
        assertEquals(Outcome.COMPLETED, run("v2", provider(), reference).outcome());
        int liveCall = journal.size() + indexOfWorkerCall(reference.events.subList(journal.size(),
                reference.events.size()));
        CrashingJournal second = new CrashingJournal(liveCall + 1, journal);
        assertEquals(Outcome.FAILED, run("v2", provider(), second).outcome());

        // the journal now holds the v1 call, the divergence, and the v2 call under the same id
        CrashingJournal third = new CrashingJournal(Long.MAX_VALUE, second.events);
        ScriptedProvider provider = provider();
        assertEquals(Outcome.COMPLETED, run("v2", provider, third).outcome());
        assertEquals(1, third.events.stream().filter(MissionEvent.ReplayDiverged.class::isInstance).count());
        assertEquals("v2 turn 0 / v2 turn 1", summary(third.events));
        assertEquals(2, provider.callCount(), "the Worker's second call and the review");
    }

    @Test
    void theHashSurvivesAFileJournal(@TempDir Path directory) {
        try (FileJournal journal = FileJournal.open(directory)) {
            cutAfterTheWorkersFirstCall().forEach(event -> journal.append(event).join());
        }
        ScriptedProvider provider = provider();
        List<MissionEvent> events = new ArrayList<>();
        try (FileJournal journal = FileJournal.open(directory)) {
            assertEquals(Outcome.COMPLETED, Mission.builder().goal("ask twice").workspace(workspace)
                    .provider(provider).verifyWith("true").agent(new Asker("v2")).journal(journal).build().run()
                    .outcome());
            journal.replay(events::add);
        }
        assertEquals(1, events.stream().filter(MissionEvent.ReplayDiverged.class::isInstance).count());
        assertEquals("v2 turn 0 / v2 turn 1", summary(events));
        assertEquals(3, provider.callCount());
    }

    private static int indexOfWorkerCall(List<MissionEvent> events) {
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i) instanceof LlmCallCompleted c && c.role().equals(Agent.WORKER)) {
                return i;
            }
        }
        throw new AssertionError("the Worker made no call: " + events);
    }

    private static Instant at(List<MissionEvent> events) {
        return events.stream().filter(MissionEvent.ReplayDiverged.class::isInstance).findFirst()
                .map(MissionEvent::at).orElseThrow(() -> new AssertionError("no ReplayDiverged in " + events));
    }

    private static String summary(List<MissionEvent> events) {
        return events.stream().filter(MissionEvent.TaskFinished.class::isInstance)
                .map(e -> ((MissionEvent.TaskFinished) e).summary()).reduce((a, b) -> b).orElseThrow();
    }
}
