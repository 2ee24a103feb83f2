package dev.orchestrator.temporal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.MissionEvent;
import dev.orchestrator.api.MissionHandle;
import dev.orchestrator.api.MissionResult;
import dev.orchestrator.core.llm.ScriptedProvider;
import dev.orchestrator.temporal.internal.MissionWorkflowImpl;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.common.SearchAttributes;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** A mission whose history outgrows a threshold goes on in new runs, and keeps its search attributes. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class LongMissionTest {

    // the lowest threshold: the four-todo mission's history (about 90 events) takes several runs
    private static final StartOptions START = StartOptions.builder().heartbeatTimeout(Duration.ofSeconds(2))
            .followEvery(Duration.ofMillis(100)).continueAfterEvents(10).build();

    @TempDir
    Path temp;

    @RegisterExtension
    final InProcessTemporal temporal = new InProcessTemporal();

    @Test
    void aMissionContinuedAsNewRunsEndsWithTheResultAndCallsOfOneRun() throws Exception {
        ScriptedProvider embeddedProvider = FourTodos.script();
        Path embeddedDir = Files.createDirectories(temp.resolve("embedded"));
        MissionResult embedded = FourTodos.mission("embedded", embeddedDir, embeddedProvider).build().run();

        ScriptedProvider provider = FourTodos.script();
        Path shared = Files.createDirectories(temp.resolve("shared"));
        List<MissionEvent> seen = new CopyOnWriteArrayList<>();
        MissionResult result;
        try (MissionWorker worker = temporal.worker(provider, shared)) {
            result = TemporalMissions.start(temporal.client(), FourTodos.mission("m1", clientSide(), provider)
                    .listener((event, progress) -> seen.add(event)).build(), START).await();
        }
        assertEquals(MissionResult.Outcome.COMPLETED, result.outcome(), result.reason());
        assertEquals(embedded.reason(), result.reason());
        assertEquals(embeddedProvider.callCount(), provider.callCount(), "no call made twice across the runs");
        assertEquals(FourTodos.files(embeddedDir), FourTodos.files(shared.resolve("m1")));
        assertEquals(embedded.todos().size(), result.todos().size());
        assertEquals(embedded.usageByRole(), result.usageByRole());

        List<WorkflowExecutionHistory> runs = temporal.runs("m1");
        assertTrue(runs.size() >= 3, "continued at least twice: " + runs.size() + " runs");
        // the handle followed the chain: every event once, in order, from the start to the end
        assertTrue(seen.getFirst() instanceof MissionEvent.MissionStarted, seen.getFirst().toString());
        assertTrue(seen.getLast() instanceof MissionEvent.MissionFinished, seen.getLast().toString());
        List<String> calls = seen.stream().flatMap(e -> e instanceof MissionEvent.LlmCallCompleted c
                ? java.util.stream.Stream.of(c.callId()) : java.util.stream.Stream.empty()).toList();
        assertEquals(embeddedProvider.callCount(), calls.size(), "every call reached the listener");
        assertEquals(calls.size(), calls.stream().distinct().count(), "and once");
        assertEquals(1, seen.stream().filter(MissionEvent.MissionStarted.class::isInstance).count());
        Worker replayer = temporal.environment().newWorker("replay", MissionWorker.workerOptions(1));
        replayer.registerWorkflowImplementationTypes(MissionWorkflowImpl.class);
        for (WorkflowExecutionHistory run : runs) {
            WorkflowReplayer.replayWorkflowExecution(run, replayer); // each run, continue-as-new included
        }
        String keep = System.getProperty("orchestrator.keepHistory");
        if (keep != null) { // how HistoryReplayTest's second file was made: the first run, which continues
            Files.writeString(Path.of(keep), runs.getFirst().toJson(true));
        }
    }

    @Test
    void theHandleCancelsTheRunThatIsUnderWay() throws Exception {
        CountDownLatch held = new CountDownLatch(1);
        ScriptedProvider provider = FourTodos.script(FourTodos.writesB(), LostMachine.holdsUntilStopped(held));
        List<MissionEvent> seen = new CopyOnWriteArrayList<>();
        try (MissionWorker worker = temporal.worker(provider, Files.createDirectories(temp.resolve("shared")))) {
            MissionHandle handle = TemporalMissions.start(temporal.client(), FourTodos.mission("m2", clientSide(),
                    provider).listener((event, progress) -> seen.add(event)).build(), START);
            held.await();
            assertFalse(temporal.runs("m2").getLast().getHistory().getEvents(0)
                    .getWorkflowExecutionStartedEventAttributes().getContinuedExecutionRunId().isEmpty(),
                    "t2 runs in a continued run");
            handle.cancel();
            MissionResult result = handle.await();
            assertEquals(MissionResult.Outcome.CANCELLED, result.outcome(), result.reason());
        }
        assertTrue(seen.getFirst() instanceof MissionEvent.MissionStarted, seen.getFirst().toString());
        assertTrue(seen.getLast() instanceof MissionEvent.MissionFinished, seen.getLast().toString());
    }

    @Test
    void theMissionsIdStateAndOutcomeAreSearchAttributes() throws Exception {
        for (var key : List.of(MissionSearchAttributes.MISSION_ID, MissionSearchAttributes.STATE,
                MissionSearchAttributes.OUTCOME)) {
            temporal.environment().registerSearchAttribute(key.getName(), IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
        }
        ScriptedProvider provider = FourTodos.script();
        try (MissionWorker worker = temporal.worker(provider, Files.createDirectories(temp.resolve("shared")))) {
            MissionResult result = TemporalMissions.start(temporal.client(), FourTodos.mission("m3", clientSide(),
                    provider).build(), START.toBuilder().searchAttributes(true).build()).await();
            assertEquals(MissionResult.Outcome.COMPLETED, result.outcome(), result.reason());
        }
        // the last run of the chain: the attributes were carried into each new run, and kept up to date (the test
        // service has no visibility queries: ListWorkflowExecutions is unimplemented there)
        SearchAttributes attributes = temporal.client().newUntypedWorkflowStub(TemporalMissions.workflowId("m3"))
                .describe().getTypedSearchAttributes();
        assertEquals("m3", attributes.get(MissionSearchAttributes.MISSION_ID));
        assertEquals("finished", attributes.get(MissionSearchAttributes.STATE));
        assertEquals("COMPLETED", attributes.get(MissionSearchAttributes.OUTCOME));
    }

    private Path clientSide() throws Exception {
        return Files.createDirectories(temp.resolve("client"));
    }
}
