package dev.orchestrator.core.internal.engine;

import static dev.orchestrator.core.internal.engine.Scripts.brief;
import static dev.orchestrator.core.internal.engine.Scripts.noIssues;
import static dev.orchestrator.core.llm.ScriptedProvider.text;
import static dev.orchestrator.core.llm.ScriptedProvider.toolCall;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.Agent;
import dev.orchestrator.api.AgentContext;
import dev.orchestrator.api.AgentResult;
import dev.orchestrator.api.ChatRequest;
import dev.orchestrator.api.Journal;
import dev.orchestrator.api.Message;
import dev.orchestrator.api.Mission;
import dev.orchestrator.api.MissionEvent;
import dev.orchestrator.api.MissionResult;
import dev.orchestrator.api.Task;
import dev.orchestrator.api.Tool;
import dev.orchestrator.api.ToolArguments;
import dev.orchestrator.api.ToolCall;
import dev.orchestrator.api.ToolContext;
import dev.orchestrator.api.ToolResult;
import dev.orchestrator.core.llm.ScriptedProvider;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A large dispatch is recorded in waves, one journal record each. Its Workers start as their wave is appended and
 * prepare while it becomes durable; the first act once their own wave is durable, not after the whole batch's, and
 * none acts before its own.
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

    /**
     * A Worker that notes when it began preparing, then reaches for each effect the engine holds back until its
     * dispatch is durable (the workspace, a tool call, a model call), noting whether that dispatch was durable when
     * each was handed out or ran.
     */
    private record EagerWorker(GatedJournal journal, CountDownLatch preparing, Set<String> actedBeforeDurable)
            implements Agent {

        @Override
        public String role() {
            return Agent.WORKER;
        }

        @Override
        public AgentResult act(Task task, AgentContext context) {
            String todo = ((Task.Work) task).todo().id();
            preparing.countDown();
            context.workspace();
            noteIfNotDurable(todo, "workspace");
            context.tools().call(new ToolCall("c1", PROBE, "{}"), 0, 0);
            return new AgentResult.Done(context.llm().chat(ChatRequest.builder().message(Message.user(todo))
                    .build()).text());
        }

        void noteIfNotDurable(String todo, String what) {
            if (!journal.durableDispatches.contains(todo)) {
                actedBeforeDurable.add(todo + " " + what);
            }
        }
    }

    private static final String PROBE = "probe";

    @Test
    void workersPrepareWhileTheirDispatchIsNotDurableAndActOnlyOnceItIs() throws Exception {
        int todos = 40;
        GatedJournal journal = new GatedJournal(0); // holds every dispatch
        CountDownLatch preparing = new CountDownLatch(todos);
        Set<String> actedBeforeDurable = ConcurrentHashMap.newKeySet();
        EagerWorker worker = new EagerWorker(journal, preparing, actedBeforeDurable);
        Tool probe = new Tool() {
            @Override
            public String name() {
                return PROBE;
            }

            @Override
            public String description() {
                return "notes whether the caller's dispatch is durable";
            }

            @Override
            public String inputSchema() {
                return "{\"type\":\"object\"}";
            }

            @Override
            public ToolResult execute(ToolArguments arguments, ToolContext context) {
                worker.noteIfNotDurable(context.taskId().replace("#1", ""), "tool call");
                return ToolResult.ok("noted");
            }
        };
        ScriptedProvider provider = ScriptedProvider.builder()
                .onTask(Agent.COMMANDER, "triage", brief())
                .onTask(Agent.PLANNER, "plan", toolCall("submit_plan", plan(todos)))
                .onRole(Agent.WORKER, request -> {
                    worker.noteIfNotDurable(request.metadata(ChatRequest.TASK).orElseThrow().replace("#1", ""),
                            "model call");
                    return text("done").apply(request);
                })
                .onTask(Agent.REVIEWER, "review-1", noIssues())
                .build();
        Mission mission = Mission.builder().goal("x").workspace(workspace).provider(provider).verifyWith("true")
                .maxParallelWorkers(todos).agent(worker).tool(probe).journal(journal).build();
        CompletableFuture<MissionResult> running = CompletableFuture.supplyAsync(mission::run,
                runnable -> Thread.ofPlatform().name("mission").start(runnable));

        try {
            // every Worker began while no dispatch was durable: none waited for its wave before starting
            assertTrue(preparing.await(30, TimeUnit.SECONDS), preparing.getCount() + " Workers never started");
            assertFalse(journal.isOpen());
            assertEquals(Set.of(), journal.durableDispatches);
        } finally {
            journal.open(); // also when the assertions fail, so that the mission ends
        }
        MissionResult result = running.get(30, TimeUnit.SECONDS);

        assertEquals(MissionResult.Outcome.COMPLETED, result.outcome(), result.reason());
        assertEquals(Set.of(), actedBeforeDurable, "effects before the dispatch was durable");
        assertEquals(todos, journal.durableDispatches.size());
    }

    private static String plan() {
        return plan(TODOS);
    }

    private static String plan(int todos) {
        StringBuilder json = new StringBuilder("{\"todos\":[");
        for (int i = 1; i <= todos; i++) {
            json.append(i > 1 ? "," : "").append("{\"id\":\"todo-").append(i).append("\",\"description\":\"x\"}");
        }
        return json.append("]}").toString();
    }
}
