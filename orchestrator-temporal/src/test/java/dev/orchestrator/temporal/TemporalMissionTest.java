package dev.orchestrator.temporal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.LlmException;
import dev.orchestrator.api.MissionEvent;
import dev.orchestrator.api.MissionHandle;
import dev.orchestrator.api.MissionResult;
import dev.orchestrator.core.llm.ScriptedProvider;
import dev.orchestrator.core.llm.ScriptedReplies;
import dev.orchestrator.temporal.internal.MissionWorkflowImpl;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 3, unit = TimeUnit.MINUTES)
class TemporalMissionTest {

    private static final StartOptions START = StartOptions.builder().heartbeatTimeout(Duration.ofSeconds(2))
            .followEvery(Duration.ofMillis(100)).hostTimeout(Duration.ofSeconds(2)).build();

    @TempDir
    Path temp;

    @RegisterExtension
    final InProcessTemporal temporal = new InProcessTemporal();

    private WorkflowClient client;

    @BeforeEach
    void startTemporal() {
        client = temporal.client();
    }

    @Test
    void aMissionRunsAsAWorkflowWithTheFilesOutcomeAndModelCallsOfTheEmbeddedEngine() throws Exception {
        Embedded embedded = embedded();
        ScriptedProvider provider = FourTodos.script();
        Path shared = Files.createDirectories(temp.resolve("shared"));
        List<MissionEvent> seen = new CopyOnWriteArrayList<>();
        MissionResult result;
        try (MissionWorker first = temporal.worker(provider, shared);
                MissionWorker second = temporal.worker(provider, shared)) {
            result = TemporalMissions.start(client, FourTodos.mission("m1", clientSide(), provider)
                    .listener((event, progress) -> seen.add(event)).build(), START).await();
        }
        assertEquals(MissionResult.Outcome.COMPLETED, result.outcome(), result.reason());
        assertEquals(embedded.result.reason(), result.reason());
        assertEquals(embedded.files, FourTodos.files(shared.resolve("m1")));
        assertEquals(embedded.calls, provider.callCount());
        assertEquals(embedded.result.todos().size(), result.todos().size());
        assertEquals(embedded.result.usageByRole(), result.usageByRole(), "each role's calls and tokens");
        assertTrue(seen.getLast() instanceof MissionEvent.MissionFinished, "the listener saw the end: " + seen.getLast());
        assertEquals(embedded.calls, seen.stream().filter(MissionEvent.LlmCallCompleted.class::isInstance).count(),
                "every model call reached the listener");
        keep(replay("m1"));
    }

    @Test
    void aTaskThatFailsAfterAModelCallIsRetriedAndPaysForNothingTwice() throws Exception {
        Embedded embedded = embedded();
        AtomicInteger firstTurnAsked = new AtomicInteger();
        AtomicInteger secondTurnAsked = new AtomicInteger();
        // t2's first call succeeds; its second fails for a passing reason once: the attempt fails after a call
        ScriptedProvider provider = FourTodos.script(request -> {
            firstTurnAsked.incrementAndGet();
            return FourTodos.writesB().apply(request);
        }, request -> {
            if (secondTurnAsked.getAndIncrement() == 0) {
                throw new LlmException.Transient("connection reset by the test", 0, null);
            }
            return FourTodos.saysBIsWritten().apply(request);
        });
        Path shared = Files.createDirectories(temp.resolve("shared"));
        MissionResult result;
        try (MissionWorker worker = temporal.worker(provider, shared)) {
            result = TemporalMissions.start(client, FourTodos.mission("m2", clientSide(), provider).build(), START)
                    .await();
        }
        assertEquals(MissionResult.Outcome.COMPLETED, result.outcome(), result.reason());
        assertEquals(1, firstTurnAsked.get(), "the call made before the failure is answered from the journal");
        assertEquals(2, secondTurnAsked.get(), "the failed call is made again, once");
        // the one failed call is the only call beyond the crash-free count
        assertEquals(embedded.calls + 1, provider.callCount());
        assertEquals(embedded.files, FourTodos.files(shared.resolve("m2")));
    }

    @Test
    void aWorkerStoppedMidMissionLeavesTheMissionToAnother() throws Exception {
        Embedded embedded = embedded();
        CountDownLatch t2Started = new CountDownLatch(1);
        // the first machine holds t2's first call until it is stopped
        ScriptedProvider lost = FourTodos.script(LostMachine.holdsUntilStopped(t2Started),
                FourTodos.saysBIsWritten());
        ScriptedProvider survivor = FourTodos.script();
        Path shared = Files.createDirectories(temp.resolve("shared"));
        MissionResult result;
        // machines that run agent tasks, and a coordinator that is not lost: the in-process service does not move a
        // workflow off a lost worker's sticky queue (a real one does after the sticky timeout)
        MissionWorker coordinator = TemporalMissions.worker(client, options(survivor, shared).workflowsOnly().build());
        CountingProvider onFirst = new CountingProvider(lost);
        MissionWorker first = TemporalMissions.worker(client, MissionWorkerOptions.builder()
                .missions(builder -> builder.provider(onFirst)).workspaces(WorkspaceSource.sharedDirectory(shared))
                .tasksOnly().build());
        var handle = TemporalMissions.start(client, FourTodos.mission("m3", clientSide(), lost).build(), START);
        t2Started.await();
        // the second machine joins only now, so that the first is the one holding t2 when it goes
        CountingProvider onSecond = new CountingProvider(survivor);
        try (coordinator; MissionWorker second = TemporalMissions.worker(client, MissionWorkerOptions.builder()
                .missions(builder -> builder.provider(onSecond)).workspaces(WorkspaceSource.sharedDirectory(shared))
                .tasksOnly().build())) {
            first.shutdownNow();
            result = handle.await();
        }
        assertEquals(MissionResult.Outcome.COMPLETED, result.outcome(), result.reason());
        assertEquals(embedded.files, FourTodos.files(shared.resolve("m3")));
        // the calls in flight at the loss (t2's held one, and any other task's then) are the only ones made twice
        assertTrue(onFirst.unanswered() >= 1, "t2's call was in flight");
        assertTrue(Collections.disjoint(onFirst.answered(), onSecond.asked()), "no call answered on the stopped "
                + "machine is made again: " + onFirst.answered() + " then " + onSecond.asked());
        assertEquals(embedded.calls + onFirst.unanswered(), onFirst.asked().size() + onSecond.asked().size());
    }

    @Test
    void aMissionSurvivesTheLossOfTheWorkerThatRunsItsWorkflow() throws Exception {
        Embedded embedded = embedded();
        CountDownLatch t2Started = new CountDownLatch(1);
        CountingProvider onFirst = new CountingProvider(FourTodos.script(LostMachine.holdsUntilStopped(t2Started),
                FourTodos.saysBIsWritten()));
        ScriptedProvider survivor = FourTodos.script();
        Path shared = Files.createDirectories(temp.resolve("shared"));
        // no sticky queue: the SDK's test service would keep the workflow's next task on the lost worker's
        MissionWorker first = TemporalMissions.worker(named("first"), MissionWorkerOptions.builder()
                .missions(builder -> builder.provider(onFirst)).workspaces(WorkspaceSource.sharedDirectory(shared))
                .stickyTimeout(Duration.ZERO).build());
        var handle = TemporalMissions.start(client, FourTodos.mission("m5", clientSide(), survivor).build(), START);
        t2Started.await();
        MissionResult result;
        try (MissionWorker second = TemporalMissions.worker(named("second"), options(survivor, shared)
                .stickyTimeout(Duration.ZERO).build())) {
            first.shutdownNow();
            result = handle.await();
        }
        assertEquals(MissionResult.Outcome.COMPLETED, result.outcome(), result.reason());
        assertEquals(embedded.files, FourTodos.files(shared.resolve("m5")));
        assertEquals(1, onFirst.unanswered(), "t2's call was in flight, alone: " + onFirst.asked());
        assertEquals(embedded.calls + onFirst.unanswered(), onFirst.asked().size() + survivor.callCount());
        // the first worker ran the workflow until it was lost, the second replayed its history and went on
        List<String> deciders = client.fetchHistory(TemporalMissions.workflowId("m5")).getEvents().stream()
                .filter(HistoryEvent::hasWorkflowTaskStartedEventAttributes)
                .map(event -> event.getWorkflowTaskStartedEventAttributes().getIdentity()).distinct().toList();
        assertEquals(List.of("first", "second"), deciders, "the workers that ran the workflow, in turn");
    }

    @Test
    void theCallsOfATaskCancelledAtTheMissionsEndAreInItsUsageAsEmbedded() throws Exception {
        // embedded: cancelled while t8, alone, holds its second call; its first call is in the journal
        CountDownLatch embeddedHolds = new CountDownLatch(1);
        Path workspace = Files.createDirectories(temp.resolve("embedded"));
        MissionHandle embeddedRun = TwelveTodos.mission("embedded", workspace,
                TwelveTodos.script(LostMachine.holdsUntilStopped(embeddedHolds))).build().start();
        embeddedHolds.await();
        embeddedRun.cancel();
        MissionResult embedded = embeddedRun.await();
        assertEquals(MissionResult.Outcome.CANCELLED, embedded.outcome(), embedded.reason());

        CountDownLatch t8Holds = new CountDownLatch(1);
        ScriptedProvider provider = TwelveTodos.script(LostMachine.holdsUntilStopped(t8Holds));
        Path shared = Files.createDirectories(temp.resolve("shared"));
        MissionResult result;
        try (MissionWorker worker = temporal.worker(provider, shared)) {
            MissionHandle handle = TemporalMissions.start(client, TwelveTodos.mission("m6", clientSide(), provider)
                    .build(), START);
            t8Holds.await();
            handle.cancel();
            result = handle.await();
        }
        assertEquals(MissionResult.Outcome.CANCELLED, result.outcome(), result.reason());
        assertEquals(embedded.usageByRole(), result.usageByRole(), "each role's calls and tokens, t8's first too");
        keep(replay("m6"));
    }

    /** {@return a client of the test service whose workers say they are {@code identity} in the history} */
    private WorkflowClient named(String identity) {
        return WorkflowClient.newInstance(client.getWorkflowServiceStubs(),
                WorkflowClientOptions.newBuilder(client.getOptions()).setIdentity(identity).build());
    }

    @Test
    void aCancelFromTheClientEndsTheMissionAndTheTasksUnderWayAndLeavesNoProcessBehind() throws Exception {
        // t1 runs a sleep no other process runs (so that the test can find it among the machine's processes) while
        // t2 holds a model call
        String sleep = "sleep " + (3000 + ThreadLocalRandom.current().nextInt(1_000_000)) + ".5";
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        ScriptedProvider provider = FourTodos.script(ScriptedReplies.runCommand(sleep + " && echo done"), request -> {
            held.countDown();
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                interrupted.countDown();
            }
            throw new LlmException.Transient("interrupted", 0, null);
        }, FourTodos.saysBIsWritten());
        Path shared = Files.createDirectories(temp.resolve("shared"));
        try (MissionWorker worker = temporal.worker(provider, shared)) {
            var handle = TemporalMissions.start(client, FourTodos.mission("m4", clientSide(), provider).build(),
                    START);
            held.await();
            awaitProcesses(sleep, true);
            handle.cancel();
            MissionResult result = handle.await();
            assertEquals(MissionResult.Outcome.CANCELLED, result.outcome(), result.reason());
            // each task hears of the cancel at its next heartbeat: t2's call is interrupted, t1's command ended
            assertTrue(interrupted.await(30, TimeUnit.SECONDS), "the model call under way was interrupted");
            awaitProcesses(sleep, false);
        }
    }

    /** Waits up to a minute until a process whose command line is {@code command} runs, or until none does. */
    private static void awaitProcesses(String command, boolean running) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (ProcessHandle.allProcesses().anyMatch(process -> process.info().commandLine()
                .filter(line -> line.endsWith(command)).isPresent()) != running) {
            assertTrue(System.nanoTime() < deadline, (running ? "no process ran '" : "a process still runs '")
                    + command + "'");
            Thread.sleep(50);
        }
    }

    /** {@return the history of the mission's workflow, once replayed: a non-deterministic step throws} */
    private WorkflowExecutionHistory replay(String missionId) throws Exception {
        WorkflowExecutionHistory history = client.fetchHistory(TemporalMissions.workflowId(missionId));
        Worker replayer = temporal.environment().newWorker("replay-" + missionId, MissionWorker.workerOptions(1));
        replayer.registerWorkflowImplementationTypes(MissionWorkflowImpl.class);
        WorkflowReplayer.replayWorkflowExecution(history, replayer);
        return history;
    }

    /** Writes {@code history} where {@code -Dorchestrator.keepHistory} says: how HistoryReplayTest's files are made. */
    private static void keep(WorkflowExecutionHistory history) throws Exception {
        String keep = System.getProperty("orchestrator.keepHistory");
        if (keep != null) {
            Files.writeString(Path.of(keep), history.toJson(true));
        }
    }

    private record Embedded(MissionResult result, long calls, java.util.Map<String, String> files) {
    }

    private Embedded embedded() throws Exception {
        Path workspace = Files.createDirectories(temp.resolve("embedded"));
        ScriptedProvider provider = FourTodos.script();
        MissionResult result = FourTodos.mission("embedded", workspace, provider).build().run();
        assertEquals(MissionResult.Outcome.COMPLETED, result.outcome(), result.reason());
        return new Embedded(result, provider.callCount(), FourTodos.files(workspace));
    }

    private Path clientSide() throws Exception {
        return Files.createDirectories(temp.resolve("client"));
    }

    private static MissionWorkerOptions.Builder options(ScriptedProvider provider, Path shared) {
        return MissionWorkerOptions.builder()
                .missions(builder -> builder.provider(provider))
                .workspaces(WorkspaceSource.sharedDirectory(shared));
    }
}
