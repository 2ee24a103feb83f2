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
import dev.orchestrator.api.MissionResult;
import dev.orchestrator.core.llm.ScriptedProvider;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
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
     * A journal that makes its first {@code durableDispatches} dispatch events durable and fails every append from
     * the next one on, as a full disk would: the failure lands inside a dispatch chunk.
     */
    private static final class FailingJournal implements Journal {
        private final int durableDispatches;
        final List<MissionEvent> durable = new ArrayList<>();
        private int dispatches;
        private boolean failed;

        FailingJournal(int durableDispatches) {
            this.durableDispatches = durableDispatches;
        }

        @Override
        public synchronized CompletableFuture<Long> append(MissionEvent event) {
            if (event instanceof MissionEvent.TaskDispatched && ++dispatches > durableDispatches) {
                failed = true;
            }
            if (failed) {
                return CompletableFuture.failedFuture(new IllegalStateException("the disk is full"));
            }
            durable.add(event);
            return CompletableFuture.completedFuture((long) durable.size());
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
        StringBuilder plan = new StringBuilder("{\"todos\":[");
        for (int i = 1; i <= 40; i++) {
            plan.append(i > 1 ? "," : "").append("{\"id\":\"t").append(i).append("\",\"description\":\"x\"}");
        }
        ScriptedProvider provider = ScriptedProvider.builder()
                .onTask(Agent.COMMANDER, "triage", brief())
                .onTask(Agent.PLANNER, "plan", toolCall("submit_plan", plan.append("]}").toString()))
                .onRole(Agent.WORKER, text("done"))
                .onRole(Agent.REVIEWER, noIssues())
                .build();
        // the first chunk of dispatches is 16: five of them are durable, the rest of the chunk is not
        FailingJournal journal = new FailingJournal(5);
        List<MissionEvent> seen = java.util.Collections.synchronizedList(new ArrayList<>());

        MissionResult result = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> Mission.builder().goal("x")
                .workspace(workspace).provider(provider).verifyWith("true").maxParallelWorkers(40).journal(journal)
                .listener((event, progress) -> seen.add(event))
                .build().run());

        assertEquals(MissionResult.Outcome.FAILED, result.outcome(), result.reason());
        assertEquals(journal.durable, seen, "the listeners saw what the journal holds, in its order");
        assertEquals(5, seen.stream().filter(MissionEvent.TaskDispatched.class::isInstance).count());
    }
}
