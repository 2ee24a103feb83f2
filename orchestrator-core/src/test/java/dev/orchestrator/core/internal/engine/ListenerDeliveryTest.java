package dev.orchestrator.core.internal.engine;

import static dev.orchestrator.core.internal.engine.Scripts.brief;
import static dev.orchestrator.core.internal.engine.Scripts.noIssues;
import static dev.orchestrator.core.llm.ScriptedProvider.text;
import static dev.orchestrator.core.llm.ScriptedProvider.toolCall;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.Agent;
import dev.orchestrator.api.Journal;
import dev.orchestrator.api.Mission;
import dev.orchestrator.api.MissionEvent;
import dev.orchestrator.api.MissionListener;
import dev.orchestrator.api.MissionProgress;
import dev.orchestrator.api.MissionResult;
import dev.orchestrator.api.RoleUsage;
import dev.orchestrator.core.llm.ScriptedProvider;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ListenerDeliveryTest {

    @TempDir
    Path workspace;

    @Test
    void aListenerThatBlocksDelaysNoWorkerAndStillSeesEveryEventInOrderBeforeRunReturns() {
        CountDownLatch workerCalled = new CountDownLatch(1);
        ScriptedProvider provider = ScriptedProvider.builder()
                .onTask(Agent.COMMANDER, "triage", brief())
                .onTask(Agent.PLANNER, "plan", toolCall("submit_plan", "{\"todos\":[{\"id\":\"t\",\"description\":\"x\"}]}"))
                .onTask(Agent.WORKER, "t#1", request -> {
                    workerCalled.countDown();
                    return text("done").apply(request);
                })
                .onTask(Agent.REVIEWER, "review-1", noIssues())
                .build();
        List<MissionEvent> seen = new ArrayList<>();

        MissionResult result = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> Mission.builder().goal("x")
                .workspace(workspace).provider(provider).verifyWith("true")
                .listener((event, progress) -> {
                    // the first event holds this listener until a worker has called the model: had the listener
                    // run on the recording thread, the mission could never get there
                    if (seen.isEmpty()) {
                        MissionEndToEndTest.awaitQuietly(workerCalled);
                    }
                    seen.add(event);
                })
                .build().run());

        assertEquals(MissionResult.Outcome.COMPLETED, result.outcome(), result.reason());
        assertTrue(seen.getFirst() instanceof MissionEvent.MissionStarted, seen::toString);
        assertTrue(seen.getLast() instanceof MissionEvent.MissionFinished, seen::toString);
        assertEquals(1, seen.stream().filter(MissionEvent.TaskFinished.class::isInstance).count());
    }

    /**
     * The progress with each event is the state just after it, though it is made on the listeners' thread while
     * Workers go on recording: with every model call, the calls counted by role are the calls seen so far.
     */
    @Test
    void theProgressWithEachEventCountsTheCallsUpToItWhileManyWorkersRecordAtOnce() {
        int todos = 40;
        StringBuilder plan = new StringBuilder("{\"todos\":[");
        for (int i = 1; i <= todos; i++) {
            plan.append(i > 1 ? "," : "").append("{\"id\":\"t").append(i).append("\",\"description\":\"x\"}");
        }
        ScriptedProvider provider = ScriptedProvider.builder()
                .onTask(Agent.COMMANDER, "triage", brief())
                .onTask(Agent.PLANNER, "plan", toolCall("submit_plan", plan.append("]}").toString()))
                .onRole(Agent.WORKER, text("done"))
                .onTask(Agent.REVIEWER, "review-1", noIssues())
                .build();
        List<String> wrong = new ArrayList<>();
        long[] calls = {0};

        MissionResult result = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> Mission.builder().goal("x")
                .workspace(workspace).provider(provider).verifyWith("true").maxParallelWorkers(todos)
                .listener((event, progress) -> {
                    if (event instanceof MissionEvent.LlmCallCompleted call) {
                        calls[0]++;
                        long counted = progress.usageByRole().stream().mapToLong(RoleUsage::calls).sum();
                        if (counted != calls[0]) {
                            wrong.add(call.callId() + " came with " + counted + " calls counted, not " + calls[0]);
                        }
                    }
                })
                .build().run());

        assertEquals(MissionResult.Outcome.COMPLETED, result.outcome(), result.reason());
        assertEquals(todos + 3, calls[0]); // triage, plan, review
        assertEquals(List.of(), wrong);
    }

    @Test
    void theContextListenersKeepIsAskedOnTheStartingThreadJournaledAndHandedToALaterRun(@TempDir Path journal) {
        List<MissionListener.RunStarted> runs = new CopyOnWriteArrayList<>();
        List<String> askedOn = new CopyOnWriteArrayList<>();
        MissionListener keeping = new MissionListener() {
            @Override
            public void onEvent(MissionEvent event, MissionProgress progress) {
            }

            @Override
            public Map<String, String> missionContext() {
                askedOn.add(Thread.currentThread().getName());
                return Map.of("started-by", Thread.currentThread().getName());
            }

            @Override
            public void onRunStarted(MissionListener.RunStarted run) {
                runs.add(run);
            }
        };
        ScriptedProvider provider = ScriptedProvider.builder()
                .onTask(Agent.COMMANDER, "triage", brief())
                .onTask(Agent.PLANNER, "plan", toolCall("submit_plan", "{\"todos\":[{\"id\":\"t\",\"description\":\"x\"}]}"))
                .onTask(Agent.WORKER, "t#1", text("done"))
                .onTask(Agent.REVIEWER, "review-1", noIssues())
                .build();
        Mission mission = Mission.builder().goal("x").workspace(workspace).provider(provider).verifyWith("true")
                .journal(journal).listener(keeping).build();

        MissionResult first = mission.run();
        MissionResult again = mission.run();

        assertEquals(MissionResult.Outcome.COMPLETED, first.outcome(), first.reason());
        assertEquals(MissionResult.Outcome.COMPLETED, again.outcome(), again.reason());
        String starter = Thread.currentThread().getName();
        assertEquals(List.of(starter), askedOn, "asked once, on the thread that started the mission");
        assertEquals(2, runs.size());
        assertEquals(Map.of("started-by", starter), runs.get(0).context());
        assertEquals(Map.of("started-by", starter), runs.get(1).context(), "from the journal");
        assertTrue(runs.get(1).eventsReplayed() > 0);
    }

    @Test
    void closeReturnsOnlyAfterTheListenersHaveSeenEveryEventOfAJournalThatCompletesOnItsOwnThread() {
        // as the file journal's writer does; each round is a fresh race between the writer handing an event on
        // and close, which lost the last event about once in a few hundred rounds
        for (int round = 0; round < 500; round++) {
            List<MissionEvent> seen = new ArrayList<>();
            try (WriterThreadJournal journal = new WriterThreadJournal()) {
                EventRecorder recorder = new EventRecorder(journal, List.of((event, progress) -> seen.add(event)),
                        InstantSource.system(), Checkpoint.EMPTY, "m");
                recorder.record(note("first"));
                recorder.record(note("last"));
                recorder.close();
            }
            assertEquals(List.of("first", "last"), seen.stream()
                    .map(event -> ((MissionEvent.AgentNote) event).text()).toList(), "round " + round);
        }
    }

    @Test
    void everyWaitForDurableEventsIsReportedWithItsEventsBytesAndDuration() {
        List<List<Long>> reported = new CopyOnWriteArrayList<>();
        MissionListener timing = new MissionListener() {
            @Override
            public void onEvent(MissionEvent event, MissionProgress progress) {
            }

            @Override
            public void onJournalAppended(int events, long bytes, long nanos) {
                reported.add(List.of((long) events, bytes, nanos));
            }
        };
        long[] now = {0};
        // each read of the clock is 1 µs after the one before
        LongSupplier nanos = () -> now[0] += 1_000;
        try (WriterThreadJournal journal = new WriterThreadJournal()) {
            EventRecorder recorder = new EventRecorder(journal, List.of(timing), InstantSource.system(), nanos,
                    Checkpoint.EMPTY, "m");
            recorder.recordAll(List.of(note("a"), note("b"), note("c")));
            recorder.record(note("d"));
            recorder.recordWhileRunning(note("e"));
            recorder.close();
        }

        assertEquals(List.of(List.of(3L, 3 * WriterThreadJournal.BYTES, 1_000L),
                List.of(1L, WriterThreadJournal.BYTES, 1_000L), List.of(1L, WriterThreadJournal.BYTES, 1_000L)),
                reported);
    }

    private static MissionEvent note(String text) {
        return new MissionEvent.AgentNote("t", "worker", text, Instant.EPOCH);
    }

    /** Completes each append on a writer thread of its own, in order; each event counts as {@link #BYTES} bytes. */
    private static final class WriterThreadJournal implements Journal {

        static final long BYTES = 100;

        private final ExecutorService writer = Executors.newSingleThreadExecutor();
        private long appended;

        @Override
        public synchronized long appendedBytes() {
            return appended * BYTES;
        }

        @Override
        public synchronized CompletableFuture<Long> append(MissionEvent event) {
            long sequence = ++appended;
            CompletableFuture<Long> durable = new CompletableFuture<>();
            writer.execute(() -> durable.complete(sequence));
            return durable;
        }

        @Override
        public void replay(Consumer<? super MissionEvent> sink) {
        }

        @Override
        public void close() {
            writer.close();
        }
    }

    /**
     * A journal that makes its first {@code durableFinishes} finish events durable and fails every append from the
     * next one on, as a full disk would: the failure lands among the finishes the Commander records together.
     */
    private static final class FailingJournal implements Journal {
        private final int durableFinishes;
        final List<MissionEvent> durable = new ArrayList<>();
        private int finishes;
        private boolean failed;

        FailingJournal(int durableFinishes) {
            this.durableFinishes = durableFinishes;
        }

        @Override
        public synchronized CompletableFuture<Long> append(MissionEvent event) {
            if (event instanceof MissionEvent.TaskFinished && ++finishes > durableFinishes) {
                failed = true;
            }
            if (failed) {
                return CompletableFuture.failedFuture(new IllegalStateException("the disk is full"));
            }
            durable.add(event);
            return CompletableFuture.completedFuture((long) durable.size());
        }

        /** The durable events as the listeners hear them: a dispatch wave as one event per task. */
        synchronized List<MissionEvent> heard() {
            return durable.stream().<MissionEvent>flatMap(e -> e instanceof MissionEvent.TasksDispatched wave
                    ? wave.each().stream() : java.util.stream.Stream.of(e)).toList();
        }

        @Override
        public synchronized void replay(Consumer<? super MissionEvent> sink) {
            durable.forEach(sink);
        }

        @Override
        public void close() {
        }
    }

    @Test
    void eventsAppendedTogetherReachTheListenersInJournalOrderAndOnlyThoseTheJournalMadeDurable() {
        java.util.concurrent.CountDownLatch allCalled = new java.util.concurrent.CountDownLatch(40);
        StringBuilder plan = new StringBuilder("{\"todos\":[");
        for (int i = 1; i <= 40; i++) {
            plan.append(i > 1 ? "," : "").append("{\"id\":\"t").append(i).append("\",\"description\":\"x\"}");
        }
        ScriptedProvider provider = ScriptedProvider.builder()
                .onTask(Agent.COMMANDER, "triage", brief())
                .onTask(Agent.PLANNER, "plan", toolCall("submit_plan", plan.append("]}").toString()))
                .onRole(Agent.WORKER, request -> {
                    // all forty finish together, so that the Commander records their ends together
                    allCalled.countDown();
                    try {
                        allCalled.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return text("done").apply(request);
                })
                .onRole(Agent.REVIEWER, noIssues())
                .build();
        // five ends are durable, the others are not
        FailingJournal journal = new FailingJournal(5);
        List<MissionEvent> seen = java.util.Collections.synchronizedList(new ArrayList<>());

        MissionResult result = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> Mission.builder().goal("x")
                .workspace(workspace).provider(provider).verifyWith("true").maxParallelWorkers(40).journal(journal)
                .listener((event, progress) -> seen.add(event))
                .build().run());

        assertEquals(MissionResult.Outcome.FAILED, result.outcome(), result.reason());
        assertEquals(journal.heard(), seen, "the listeners saw what the journal holds, in its order");
        assertEquals(40, seen.stream().filter(MissionEvent.TaskDispatched.class::isInstance).count());
        assertEquals(5, seen.stream().filter(MissionEvent.TaskFinished.class::isInstance).count());
    }
}
