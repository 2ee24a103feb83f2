package dev.orchestrator.temporal;

import static dev.orchestrator.core.llm.ScriptedReplies.brief;
import static dev.orchestrator.core.llm.ScriptedReplies.issues;
import static dev.orchestrator.core.llm.ScriptedReplies.plan;
import static dev.orchestrator.core.llm.ScriptedReplies.remember;
import static dev.orchestrator.core.llm.ScriptedReplies.text;
import static dev.orchestrator.core.llm.ScriptedReplies.todo;
import static dev.orchestrator.core.llm.ScriptedReplies.writeFile;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.Agent;
import dev.orchestrator.api.Budget;
import dev.orchestrator.api.LlmException;
import dev.orchestrator.api.LlmProvider;
import dev.orchestrator.api.Mission;
import dev.orchestrator.api.MissionEvent;
import dev.orchestrator.api.MissionListener;
import dev.orchestrator.api.MissionProgress;
import dev.orchestrator.api.MissionResult;
import dev.orchestrator.api.ModelPrice;
import dev.orchestrator.core.llm.ScriptedProvider;
import io.temporal.api.history.v1.HistoryEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The mission's settings that the embedded engine reads besides the loop's limits, on Temporal as embedded. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class FaithfulMissionTest {

    private static final StartOptions START = StartOptions.builder().heartbeatTimeout(Duration.ofSeconds(2))
            .followEvery(Duration.ofMillis(100)).build();

    @TempDir
    Path temp;

    @RegisterExtension
    final InProcessTemporal temporal = new InProcessTemporal();

    @Test
    void aTokenBudgetSpentInsideATaskEndsTheMissionAsTheEmbeddedEngineDoes() throws Exception {
        // 120 tokens a call: triage, plan, t1's two calls and t2's first reach 600; t2's second call is refused
        sameEndAsEmbedded(mission -> mission.budget(Budget.ofTokens(600)), MissionResult.Outcome.BUDGET_EXHAUSTED);
    }

    @Test
    void aDollarBudgetAndTheMissionsOwnPricesTravelWithTheMission() throws Exception {
        // a dollar a token, a price the SDK's table does not have: without it the mission would fail unpriced
        sameEndAsEmbedded(mission -> mission.price("scripted", ModelPrice.perMillionTokens("1000000", "1000000"))
                .budget(Budget.ofDollars("600")), MissionResult.Outcome.BUDGET_EXHAUSTED);
    }

    @Test
    void aTaskRetriedOnItsHostAfterAPassingFailureStillEndsTheMissionWhenItSpendsTheBudget() throws Exception {
        // t2's first call fails once: the workflow tries the task again on its host's queue, where that call (the
        // one that reaches 600 tokens) is made again and the next is refused
        AtomicInteger failed = new AtomicInteger();
        ScriptedProvider provider = FourTodos.script(request -> {
            if (failed.getAndIncrement() == 0) {
                throw new LlmException.Transient("connection reset by the test", 0, null);
            }
            return FourTodos.writesB().apply(request);
        }, FourTodos.saysBIsWritten());
        sameEndAsEmbedded(mission -> mission.budget(Budget.ofTokens(600)), MissionResult.Outcome.BUDGET_EXHAUSTED,
                provider, 1);
        assertEquals(2, failed.get(), "t2's first call: failed, then made again");
    }

    /** Runs the four-todo mission, one todo at a time, embedded and on Temporal, and compares their ends. */
    private void sameEndAsEmbedded(UnaryOperator<Mission.Builder> settings, MissionResult.Outcome expected)
            throws Exception {
        sameEndAsEmbedded(settings, expected, FourTodos.script(), 0);
    }

    /**
     * As {@link #sameEndAsEmbedded(UnaryOperator, MissionResult.Outcome)}, with {@code provider} on Temporal, which
     * fails {@code failedCalls} calls the embedded engine's does not.
     */
    private void sameEndAsEmbedded(UnaryOperator<Mission.Builder> settings, MissionResult.Outcome expected,
            ScriptedProvider provider, int failedCalls) throws Exception {
        ScriptedProvider embeddedProvider = FourTodos.script();
        Path embeddedDir = Files.createDirectories(temp.resolve("embedded"));
        MissionResult embedded = settings.apply(FourTodos.mission("embedded", embeddedDir, embeddedProvider)
                .maxParallelWorkers(1)).build().run();
        assertEquals(expected, embedded.outcome(), embedded.reason());

        Path shared = Files.createDirectories(temp.resolve("shared"));
        MissionResult result;
        try (MissionWorker worker = temporal.worker(provider, shared)) {
            result = TemporalMissions.start(temporal.client(), settings.apply(FourTodos.mission("m1", clientSide(),
                    provider).maxParallelWorkers(1)).build(), START).await();
        }
        assertEquals(expected, result.outcome(), result.reason());
        assertEquals(embedded.reason(), result.reason());
        assertEquals(embeddedProvider.callCount() + failedCalls, provider.callCount(),
                "no call beyond the embedded engine's but the failed ones");
        // the tasks ran on the queue of the worker that hosts the mission
        List<String> queues = temporal.client().fetchHistory(TemporalMissions.workflowId("m1")).getEvents().stream()
                .filter(HistoryEvent::hasActivityTaskScheduledEventAttributes)
                .map(event -> event.getActivityTaskScheduledEventAttributes())
                .filter(scheduled -> scheduled.getActivityType().getName().equals("Act"))
                .map(scheduled -> scheduled.getTaskQueue().getName()).distinct().toList();
        assertTrue(queues.size() == 1 && queues.getFirst().startsWith(MissionWorkerOptions.DEFAULT_TASK_QUEUE + "@"),
                "one host's queue: " + queues);
        assertEquals(embedded.usage(), result.usage());
        assertEquals(embedded.usageByRole(), result.usageByRole(), "priced alike, by role");
        assertEquals(embedded.todos(), result.todos(), "the same todos done, running and waiting");
    }

    @Test
    void theMemoryFileAndTheListenersContextTravelAsEmbedded() throws Exception {
        String before = "# Project memory\n\n- the build uses Maven\n";
        Path embeddedMemory = Files.writeString(temp.resolve("embedded-memory.md"), before);
        Path memory = Files.writeString(temp.resolve("memory.md"), before);
        Context embeddedListener = new Context();
        MissionResult embedded = oneNote("embedded", Files.createDirectories(temp.resolve("embedded")),
                rememberingScript(), embeddedMemory, embeddedListener).build().run();
        assertEquals(MissionResult.Outcome.COMPLETED, embedded.outcome(), embedded.reason());

        CountingProvider provider = new CountingProvider(rememberingScript());
        Context listener = new Context();
        MissionResult result;
        try (MissionWorker worker = temporal.worker(provider, Files.createDirectories(temp.resolve("shared")))) {
            result = TemporalMissions.start(temporal.client(), oneNote("m3", clientSide(), provider, memory,
                    listener).build(), START).await();
        }
        assertEquals(MissionResult.Outcome.COMPLETED, result.outcome(), result.reason());
        assertEquals(Map.of("ticket", "OPS-7"), listener.run.context(), "the listener got its context back");
        MissionEvent.MissionStarted started = (MissionEvent.MissionStarted) listener.events.getFirst();
        assertEquals(Map.of("ticket", "OPS-7"), started.context(), "journaled in the mission's start");
        assertEquals("- the build uses Maven", started.memory(), "the memory the mission started with");
        assertTrue(provider.requests().stream().allMatch(request -> request.system().contains("the build uses Maven")),
                "every agent on the worker reads the client's memory");
        assertEquals(Files.readString(embeddedMemory), Files.readString(memory), "the note saved as embedded");
        assertTrue(Files.readString(memory).contains("tabs, not spaces"), Files.readString(memory));
    }

    private static ScriptedProvider rememberingScript() {
        return ScriptedProvider.builder()
                .onTask(Agent.COMMANDER, "triage", brief("Write a.txt."))
                .onTask(Agent.PLANNER, "plan", plan(todo("t1", "Write a.txt").writes("a.txt")))
                .onTask(Agent.WORKER, "t1#1", remember("tabs, not spaces"), writeFile("a.txt", "A\n"),
                        text("a.txt is written."))
                .onTask(Agent.REVIEWER, "review-1", issues())
                .build();
    }

    private static Mission.Builder oneNote(String id, Path workspace, LlmProvider provider, Path memory,
            MissionListener listener) {
        return Mission.builder().missionId(id).goal("Write a.txt").workspace(workspace).provider(provider)
                .verifyWith("test -f a.txt").memoryFile(memory).listener(listener);
    }

    /** A listener that keeps a context for the mission's later runs and what it was told. */
    private static final class Context implements MissionListener {
        final List<MissionEvent> events = new CopyOnWriteArrayList<>();
        volatile RunStarted run;

        @Override
        public Map<String, String> missionContext() {
            return Map.of("ticket", "OPS-7");
        }

        @Override
        public void onRunStarted(RunStarted run) {
            this.run = run;
        }

        @Override
        public void onEvent(MissionEvent event, MissionProgress progress) {
            events.add(event);
        }
    }

    private Path clientSide() throws Exception {
        return Files.createDirectories(temp.resolve("client"));
    }
}
