package dev.orchestrator.core.internal.engine;

import static dev.orchestrator.core.internal.engine.Scripts.brief;
import static dev.orchestrator.core.internal.engine.Scripts.noIssues;
import static dev.orchestrator.core.llm.ScriptedProvider.text;
import static dev.orchestrator.core.llm.ScriptedProvider.toolCall;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.Agent;
import dev.orchestrator.api.ChatRequest;
import dev.orchestrator.api.Journal;
import dev.orchestrator.api.Mission;
import dev.orchestrator.api.MissionEvent;
import dev.orchestrator.api.MissionResult;
import dev.orchestrator.core.llm.ScriptedProvider;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A large dispatch is recorded in waves, one journal record each, and starts its first Workers once their own wave is
 * durable, not after the whole batch's, and never a Worker before its own.
 */
class DispatchChunksTest {

    private static final int TODOS = 600;

    @TempDir
    Path workspace;

    /**
     * Holds every append after the dispatch wave that takes the dispatched todos past {@code heldAfter} until {@link
     * #open()}: they are not durable until then. Futures still complete in append order.
     */
    static final class GatedJournal implements Journal {
        private final int heldAfter;
        private final CompletableFuture<Void> gate = new CompletableFuture<>();
        final Set<String> durableDispatches = ConcurrentHashMap.newKeySet();
        final List<Integer> waves = new ArrayList<>();
        private final List<MissionEvent> events = new ArrayList<>();
        private CompletableFuture<?> tail = CompletableFuture.completedFuture(null);
        private int dispatches;

        GatedJournal(int heldAfter) {
            this.heldAfter = heldAfter;
        }

        void open() {
            gate.complete(null);
        }

        boolean isOpen() {
            return gate.isDone();
        }

        @Override
        public synchronized CompletableFuture<Long> append(MissionEvent event) {
            events.add(event);
            long seq = events.size();
            List<String> dispatched = event instanceof MissionEvent.TasksDispatched wave
                    ? wave.tasks().stream().map(MissionEvent.TasksDispatched.Dispatch::todoId).toList() : List.of();
            dispatches += dispatched.size();
            if (!dispatched.isEmpty()) {
                waves.add(dispatched.size());
            }
            CompletableFuture<Long> durable = (dispatches > heldAfter ? tail.thenCombine(gate, (a, b) -> seq)
                    : tail.thenApply(ignored -> seq)).thenApply(s -> {
                        durableDispatches.addAll(dispatched);
                        return s;
                    });
            tail = durable;
            return durable;
        }

        @Override
        public synchronized void replay(Consumer<? super MissionEvent> sink) {
            List.copyOf(events).forEach(sink);
        }

        @Override
        public void close() {
        }
    }

    @Test
    void theFirstWorkersCallBeforeTheLastDispatchesAreDurableAndNoneBeforeItsOwn() {
        GatedJournal journal = new GatedJournal(MissionRun.FIRST_DISPATCH_WAVE); // the wave it starts Workers after
        Set<String> calledBeforeDurable = ConcurrentHashMap.newKeySet();
        Set<String> calledWhileHeld = ConcurrentHashMap.newKeySet();
        ScriptedProvider provider = ScriptedProvider.builder()
                .onTask(Agent.COMMANDER, "triage", brief())
                .onTask(Agent.PLANNER, "plan", toolCall("submit_plan", plan()))
                .onRole(Agent.WORKER, request -> {
                    String todo = request.metadata(ChatRequest.TASK).orElseThrow().replace("#1", "");
                    if (!journal.durableDispatches.contains(todo)) {
                        calledBeforeDurable.add(todo);
                    }
                    if (!journal.isOpen()) {
                        calledWhileHeld.add(todo);
                    }
                    journal.open(); // had the engine waited for every dispatch, no Worker would get here
                    return text("done").apply(request);
                })
                .onTask(Agent.REVIEWER, "review-1", noIssues())
                .build();

        MissionResult result = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> Mission.builder().goal("x")
                .workspace(workspace).provider(provider).verifyWith("true").maxParallelWorkers(TODOS)
                .journal(journal).build().run());

        assertEquals(MissionResult.Outcome.COMPLETED, result.outcome(), result.reason());
        assertEquals(Set.of(), calledBeforeDurable, "Workers called before their dispatch was durable");
        assertTrue(!calledWhileHeld.isEmpty(), "a Worker called while later dispatches were not durable");
        assertEquals(TODOS, journal.durableDispatches.size());
        // one record a wave: doubling from the first, up to the most a wave holds
        assertEquals(List.of(16, 32, 64, 128, MissionRun.MAX_DISPATCH_WAVE, 104), journal.waves);
    }

    private static String plan() {
        StringBuilder json = new StringBuilder("{\"todos\":[");
        for (int i = 1; i <= TODOS; i++) {
            json.append(i > 1 ? "," : "").append("{\"id\":\"todo-").append(i).append("\",\"description\":\"x\"}");
        }
        return json.append("]}").toString();
    }
}
