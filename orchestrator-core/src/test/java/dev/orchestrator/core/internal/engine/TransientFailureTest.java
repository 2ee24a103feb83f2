package dev.orchestrator.core.internal.engine;

import static dev.orchestrator.core.internal.engine.Scripts.brief;
import static dev.orchestrator.core.internal.engine.Scripts.failingTransiently;
import static dev.orchestrator.core.internal.engine.Scripts.noIssues;
import static dev.orchestrator.core.internal.engine.Scripts.writeFile;
import static dev.orchestrator.core.llm.ScriptedProvider.text;
import static dev.orchestrator.core.llm.ScriptedProvider.toolCall;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.Agent;
import dev.orchestrator.api.ChatRequest;
import dev.orchestrator.api.ChatResponse;
import dev.orchestrator.api.LlmException;
import dev.orchestrator.api.Mission;
import dev.orchestrator.api.MissionEvent;
import dev.orchestrator.api.MissionEvent.TaskDeferred;
import dev.orchestrator.api.MissionResult;
import dev.orchestrator.api.MissionResult.Outcome;
import dev.orchestrator.api.TodoStatus;
import dev.orchestrator.core.llm.ScriptedProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A model call that fails for a passing reason loses no mission and uses up no attempt: its task is put back. */
class TransientFailureTest {

    private static final String ONE_TODO = "{\"todos\":[{\"id\":\"t\",\"description\":\"x\"}]}";

    @TempDir
    Path root;

    private final List<MissionEvent> events = Collections.synchronizedList(new ArrayList<>());

    private Mission.Builder mission(ScriptedProvider provider) {
        return Mission.builder().goal("x").workspace(root).provider(provider).verifyWith("true")
                .listener((event, progress) -> events.add(event));
    }

    private List<TaskDeferred> deferrals(String taskId) {
        return events.stream().filter(TaskDeferred.class::isInstance).map(TaskDeferred.class::cast)
                .filter(e -> e.taskId().equals(taskId)).toList();
    }

    @Test
    void commanderPlannerAndReviewerCallsThatFailTransientlyThreeTimesInARowStillComplete() {
        ScriptedProvider provider = ScriptedProvider.builder()
                .onTask(Agent.COMMANDER, "triage", failingTransiently(3, brief()))
                .onTask(Agent.PLANNER, "plan", failingTransiently(3, toolCall("submit_plan", ONE_TODO)))
                .onTask(Agent.WORKER, "t#1", text("done"))
                .onTask(Agent.REVIEWER, "review-1", failingTransiently(3, noIssues()))
                .build();

        MissionResult result = mission(provider).build().run();

        assertEquals(Outcome.COMPLETED, result.outcome(), result.reason());
        assertEquals(3 * 4 + 1, provider.callCount());
        for (String task : List.of("triage", "plan", "review-1")) {
            List<TaskDeferred> deferred = deferrals(task);
            assertEquals(3, deferred.size(), task);
            assertEquals(Optional.empty(), deferred.getFirst().todoId());
            assertTrue(deferred.getFirst().reason().startsWith("Transient: HTTP 503"), deferred.getFirst().reason());
            // each failure in a row waits twice as long as the one before
            assertEquals(List.of(Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1)),
                    deferred.stream().map(e -> Duration.between(e.at(), e.retryAt())).toList(), task);
        }
    }

    /** A plan of todo t, whose Worker writes a.txt at turn 0 (counted in {@code firstTurns}), then {@code then}. */
    private static ScriptedProvider.Builder writingOnceThen(AtomicInteger firstTurns,
            Function<ChatRequest, ChatResponse> then) {
        return ScriptedProvider.builder()
                .onTask(Agent.COMMANDER, "triage", brief())
                .onTask(Agent.PLANNER, "plan", toolCall("submit_plan", ONE_TODO))
                .onTask(Agent.WORKER, "t#1", request -> {
                    firstTurns.incrementAndGet();
                    return toolCall("write_file", writeFile("a.txt", "once")).apply(request);
                }, then);
    }

    /** A provider for a resumed {@link #writingOnceThen} mission: its turn 0 is journaled, so t#1 starts at turn 1. */
    private static ScriptedProvider answeringFromTurnOne() {
        return ScriptedProvider.builder()
                .onTask(Agent.WORKER, "t#1", request -> {
                    throw new AssertionError("turn 0 of t#1 is in the journal and must not be asked again");
                }, text("done"))
                .onRole(Agent.REVIEWER, noIssues())
                .build();
    }

    @Test
    void aWorkerCallThatFailsTransientlyPutsTheTodoBackAsTheSameAttemptAndReplaysItsCalls() throws Exception {
        AtomicInteger firstTurns = new AtomicInteger();
        ScriptedProvider provider = writingOnceThen(firstTurns, failingTransiently(2, text("done")))
                .onRole(Agent.REVIEWER, noIssues())
                .build();

        // one attempt only: a deferral must not use it up
        MissionResult result = mission(provider).maxAttempts(1).build().run();

        assertEquals(Outcome.COMPLETED, result.outcome(), result.reason());
        TodoStatus todo = result.todos().getFirst();
        assertEquals(TodoStatus.State.DONE, todo.state());
        assertEquals(1, todo.attempts());
        assertEquals(1, firstTurns.get(), "the turn made before the failure is answered from the journal");
        assertEquals(1, events.stream().filter(e -> e instanceof MissionEvent.ToolCallStarted).count(),
                "the file was written once");
        assertEquals("once", Files.readString(root.resolve("a.txt")));
        List<TaskDeferred> deferred = deferrals("t#1");
        assertEquals(2, deferred.size());
        assertEquals(Optional.of("t"), deferred.getFirst().todoId());
        assertEquals(Agent.WORKER, deferred.getFirst().role());
        assertEquals(2, events.stream().filter(e -> e instanceof MissionEvent.TaskDispatched d && d.attempt() == 1)
                .count() - 1, "dispatched again after each deferral, as attempt 1");
    }

    @Test
    void aMissionStoppedAtItsDeadlineWhileATodoIsDeferredResumesItAsTheSameAttempt() throws Exception {
        Path journal = root.resolve(".journal");
        AtomicInteger firstTurns = new AtomicInteger();
        TrackingThreads threads = new TrackingThreads();
        ScriptedProvider failing = writingOnceThen(firstTurns, request -> {
            throw new LlmException.Overloaded("HTTP 529 overloaded", 529, Optional.empty());
        }).build();

        MissionResult stopped = mission(failing).journal(journal).deadline(Duration.ofSeconds(1))
                .threadFactory(threads).build().run();

        assertEquals(Outcome.DEADLINE, stopped.outcome(), stopped.reason());
        assertTrue(stopped.reason().contains("the deadline of 1 s passed"), stopped.reason());
        assertTrue(stopped.reason().contains("Mission.Builder.deadline"), stopped.reason());
        assertTrue(deferrals("t#1").size() >= 2, events::toString);
        threads.assertAllEnded();

        ScriptedProvider working = answeringFromTurnOne();
        // a run on the journal of a mission that ended other than COMPLETED reopens it and goes on
        MissionResult resumed = mission(working).journal(journal).build().run();

        assertEquals(Outcome.COMPLETED, resumed.outcome(), resumed.reason());
        assertEquals(1, resumed.todos().getFirst().attempts());
        assertEquals(1, firstTurns.get());
        assertEquals(2, working.callCount());
    }

    @Test
    void aWorkerWhoseCallsKeepFailingEndsTheMissionAfterThePatienceAndARunOnTheJournalGoesOn() throws Exception {
        Path journal = root.resolve(".journal");
        AtomicInteger firstTurns = new AtomicInteger();
        AtomicInteger failures = new AtomicInteger();
        TrackingThreads threads = new TrackingThreads();
        ScriptedProvider down = writingOnceThen(firstTurns, request -> {
            failures.incrementAndGet();
            throw new LlmException.Transient("HTTP 502: <html>Bad Gateway</html>", 502, null);
        }).build();

        // 0.25 + 0.5 + 1 s of waits; a fourth of 2 s would end past the patience of 3 s
        MissionResult failed = mission(down).journal(journal).callPatience(Duration.ofSeconds(3))
                .threadFactory(threads).build().run();

        assertEquals(Outcome.FAILED, failed.outcome(), failed.reason());
        assertTrue(failed.reason().startsWith("agent 'worker' on t#1 gave up: its calls failed 4 times in a row"
                + " over 1 s, and a try 2 s later would go past the call patience of 3 s; the last failure: HTTP"
                + " 502: <html>Bad Gateway</html>; check that the provider is up"), failed.reason());
        assertTrue(failed.reason().contains("it resumes from its journal"), failed.reason());
        assertEquals(4, failures.get());
        assertEquals(3, deferrals("t#1").size());
        threads.assertAllEnded();

        ScriptedProvider up = answeringFromTurnOne();
        MissionResult resumed = mission(up).journal(journal).build().run();

        assertEquals(Outcome.COMPLETED, resumed.outcome(), resumed.reason());
        assertEquals(1, resumed.todos().getFirst().attempts(), "the failing spell used up no attempt");
        assertEquals(1, firstTurns.get());
        assertEquals(2, up.callCount());
    }

    @Test
    void aCommanderCallThatKeepsFailingEndsTheMissionAfterThePatience() {
        ScriptedProvider down = ScriptedProvider.builder()
                .onTask(Agent.COMMANDER, "triage", request -> {
                    throw new LlmException.Transient("connection reset", 0, null);
                })
                .build();

        MissionResult failed = mission(down).callPatience(Duration.ofSeconds(1)).build().run();

        assertEquals(Outcome.FAILED, failed.outcome(), failed.reason());
        assertTrue(failed.reason().startsWith("agent 'commander' on triage gave up: its calls failed 3 times in a"
                + " row, and a try 1 s later would go past the call patience of 1 s; the last failure:"
                + " connection reset"), failed.reason());
        assertEquals(3, down.callCount());
    }

    @Test
    void aFailingVerifyIsAnIssueForTheCommanderEvenWhenTheReviewerReportsNone() {
        List<String> fixPrompts = Collections.synchronizedList(new ArrayList<>());
        ScriptedProvider provider = ScriptedProvider.builder()
                .onTask(Agent.COMMANDER, "triage", brief())
                .onTask(Agent.PLANNER, "plan", toolCall("submit_plan", ONE_TODO))
                .onTask(Agent.WORKER, "t#1", text("done, though nothing was written"))
                .onTask(Agent.COMMANDER, "fix-1", request -> {
                    fixPrompts.add(firstMessage(request));
                    return toolCall("plan_fixes", "{\"todos\":[{\"id\":\"ok\",\"description\":\"write ok.txt\"}]}")
                            .apply(request);
                })
                .onTask(Agent.WORKER, "ok#1", toolCall("write_file", writeFile("ok.txt", "ok")), text("written"))
                .onRole(Agent.REVIEWER, noIssues())
                .build();

        MissionResult result = mission(provider).verifyWith("echo ok.txt is missing; test -f ok.txt").build().run();

        assertEquals(Outcome.COMPLETED, result.outcome(), result.reason());
        assertEquals(2, result.iterations());
        assertEquals(1, fixPrompts.size());
        assertTrue(fixPrompts.getFirst().contains("the verify command `echo ok.txt is missing; test -f ok.txt` fails "
                + "(exit 1)"), fixPrompts.getFirst());
        assertTrue(fixPrompts.getFirst().contains("ok.txt is missing"), "the issue quotes the output");
    }

    @Test
    void aDroppedTodoKeepsTheMissionFromCompletingUntilAFixReplacesIt() {
        List<String> fixPrompts = Collections.synchronizedList(new ArrayList<>());
        List<dev.orchestrator.api.MissionProgress> progress = Collections.synchronizedList(new ArrayList<>());
        ScriptedProvider provider = ScriptedProvider.builder()
                .onTask(Agent.COMMANDER, "triage", brief())
                .onTask(Agent.PLANNER, "plan", toolCall("submit_plan", ONE_TODO))
                .onTask(Agent.WORKER, "t2#1", text("done"))
                // every tool call fails, so the Worker gives up on t
                .onRole(Agent.WORKER, toolCall("read_file", "{\"path\":\"missing.txt\"}"))
                .onTask(Agent.COMMANDER, "fix-1", request -> {
                    fixPrompts.add(firstMessage(request));
                    return toolCall("plan_fixes", "{\"todos\":[]}").apply(request);
                })
                .onTask(Agent.COMMANDER, "fix-2", request -> {
                    fixPrompts.add(firstMessage(request));
                    return toolCall("plan_fixes", "{\"todos\":[{\"id\":\"t2\",\"description\":\"x again\"}]}")
                            .apply(request);
                })
                .onRole(Agent.REVIEWER, noIssues())
                .build();

        MissionResult result = mission(provider).maxAttempts(1)
                .listener((event, p) -> progress.add(p)).build().run();

        assertEquals(Outcome.COMPLETED, result.outcome(), result.reason());
        assertEquals(3, result.iterations(), "the review after the drop did not complete the mission");
        assertTrue(fixPrompts.get(1).contains("- t [DROPPED]"), "the dropped todo goes back to the Commander: "
                + fixPrompts.get(1));
        assertEquals(List.of(TodoStatus.State.REPLACED, TodoStatus.State.DONE),
                result.todos().stream().map(TodoStatus::state).toList());
        assertTrue(result.reason().contains("all 2 todos are done (1 of them by the todos that replaced them)"),
                result.reason());
        dev.orchestrator.api.MissionProgress last = progress.getLast();
        assertEquals(2, last.total());
        assertEquals(0, last.notDone());
        assertTrue(progress.stream().anyMatch(p -> p.dropped() == 1 && p.total() == 1 && p.notDone() == 1),
                "a dropped todo counts, as not done");
    }

    private static String firstMessage(ChatRequest request) {
        return ((dev.orchestrator.api.Message.User) request.messages().getFirst()).text();
    }
}
