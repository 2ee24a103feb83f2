package dev.orchestrator.core.internal.engine;

import static dev.orchestrator.core.internal.engine.Scripts.brief;
import static dev.orchestrator.core.internal.engine.Scripts.firstMessageContains;
import static dev.orchestrator.core.internal.engine.Scripts.noIssues;
import static dev.orchestrator.core.internal.engine.Scripts.role;
import static dev.orchestrator.core.internal.engine.Scripts.writeFile;
import static dev.orchestrator.core.llm.ScriptedProvider.text;
import static dev.orchestrator.core.llm.ScriptedProvider.toolCall;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.Agent;
import dev.orchestrator.api.Mission;
import dev.orchestrator.api.MissionEvent;
import dev.orchestrator.api.MissionResult;
import dev.orchestrator.api.TodoStatus;
import dev.orchestrator.core.llm.ScriptedProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MissionEndToEndTest {

    /** The six files of the plan, with the content their Workers write. Greeter is first written with a typo. */
    private static final Map<String, String> FILES = new LinkedHashMap<>();

    static {
        FILES.put("src/Greeter.java", "class Greeter { String greet(String n) { return \"Hello, \" + n; } }\n");
        FILES.put("src/Names.java", "class Names { static String world() { return \"World\"; } }\n");
        FILES.put("src/Main.java", "class Main { public static void main(String[] a) { } }\n");
        FILES.put("README.md", "# Greeter\n\nSays hello.\n");
        FILES.put("docs/usage.md", "Run Main.\n");
        FILES.put("NOTICE.txt", "Made by agents.\n");
    }

    private static final String VERIFY = "for f in src/Greeter.java src/Names.java src/Main.java README.md "
            + "docs/usage.md NOTICE.txt; do test -f \"$f\" || { echo \"missing $f\"; exit 1; }; done; "
            + "grep -q 'Hello, ' src/Greeter.java || { echo 'Greeter does not say Hello'; exit 2; }";

    @TempDir
    Path workspace;

    @Test
    void sixTodosRunAllAtOnceAFailedVerifyBecomesAFixAndTheMissionCompletes() throws IOException {
        // the first turns wait until all six workers are in, which only parallel dispatch allows
        int parallel = FILES.size();
        CountDownLatch allWorkersIn = new CountDownLatch(parallel);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        ScriptedProvider.Builder script = ScriptedProvider.builder()
                .onTask(Agent.COMMANDER, "triage", brief())
                .onTask(Agent.PLANNER, "plan", toolCall("submit_plan", planJson()));
        int index = 1;
        for (Map.Entry<String, String> file : FILES.entrySet()) {
            String content = index == 1 ? file.getValue().replace("Hello", "Helo") : file.getValue();
            String todo = "todo-" + index++;
            script.onTask(Agent.WORKER, todo + "#1", request -> {
                peak.accumulateAndGet(running.incrementAndGet(), Math::max);
                allWorkersIn.countDown();
                awaitQuietly(allWorkersIn);
                running.decrementAndGet();
                return toolCall("write_file", writeFile(file.getKey(), content)).apply(request);
            }, text("wrote " + file.getKey()));
        }
        script.onTask(Agent.COMMANDER, "fix-1", toolCall("plan_fixes", """
                        {"todos":[{"id":"fix-1","description":"Greeter must say Hello","files":["src/Greeter.java"]}]}"""))
                .onTask(Agent.WORKER, "fix-1#1",
                        toolCall("edit_file", "{\"path\":\"src/Greeter.java\",\"old_text\":\"Helo\",\"new_text\":\"Hello\"}"),
                        text("fixed the greeting"))
                .on(role(Agent.REVIEWER).and(firstMessageContains("exited with 2")), toolCall("report_issues",
                        "{\"issues\":[{\"description\":\"Greeter says Helo\",\"files\":[\"src/Greeter.java\"]}]}"))
                .on(role(Agent.REVIEWER).and(firstMessageContains("exited with 0")), noIssues());
        ScriptedProvider provider = script.build();
        List<MissionEvent> events = Collections.synchronizedList(new ArrayList<>());

        MissionResult result = Mission.builder()
                .goal("Write a greeter in six files")
                .workspace(workspace)
                .provider(provider)
                .verifyWith(VERIFY)
                .listener((event, progress) -> events.add(event))
                .build()
                .run();

        assertEquals(MissionResult.Outcome.COMPLETED, result.outcome(), result.reason());
        for (Map.Entry<String, String> file : FILES.entrySet()) {
            assertEquals(file.getValue(), Files.readString(workspace.resolve(file.getKey())), file.getKey());
        }
        // the figures go to the test report, where the closing notes of this work quote them from
        System.out.println("peak workers in a model call at once: " + peak.get() + ", peak calls in flight: "
                + provider.peakConcurrentCalls());
        assertEquals(parallel, peak.get(), "peak parallel workers");
        assertEquals(parallel, provider.peakConcurrentCalls(), "peak calls in flight");
        assertEquals(7, result.todos().size());
        assertTrue(result.todos().stream().allMatch(t -> t.state() == TodoStatus.State.DONE), result.todos()::toString);
        assertEquals(2, result.iterations());
        assertTrue(result.openIssues().isEmpty());
        // triage, plan, 6 × 2 worker turns, review, fix, 2 fix-worker turns, review
        assertEquals(19, provider.callCount());
        assertEquals(19 * 120, result.usage().totalTokens());

        List<Class<?>> milestones = events.stream()
                .filter(e -> !(e instanceof MissionEvent.LlmCallCompleted || e instanceof MissionEvent.ToolCallStarted
                        || e instanceof MissionEvent.ToolCallCompleted || e instanceof MissionEvent.TaskDispatched
                        || e instanceof MissionEvent.TaskFinished || e instanceof MissionEvent.CommandStarted
                        || e instanceof MissionEvent.AgentNote))
                .<Class<?>>map(Object::getClass).toList();
        assertEquals(List.of(MissionEvent.MissionStarted.class, MissionEvent.BriefWritten.class,
                MissionEvent.TodosPlanned.class, MissionEvent.VerifyCompleted.class, MissionEvent.ReviewCompleted.class,
                MissionEvent.TodosPlanned.class, MissionEvent.VerifyCompleted.class, MissionEvent.ReviewCompleted.class,
                MissionEvent.MissionFinished.class), milestones);
        MissionEvent.VerifyCompleted firstVerify = (MissionEvent.VerifyCompleted) events.stream()
                .filter(MissionEvent.VerifyCompleted.class::isInstance).findFirst().orElseThrow();
        assertEquals(2, firstVerify.result().exitCode());
        assertTrue(firstVerify.result().output().contains("Greeter does not say Hello"));
        assertEquals(7, events.stream().filter(MissionEvent.TaskDispatched.class::isInstance).count());
        assertEquals(7, events.stream().filter(MissionEvent.TaskFinished.class::isInstance).count());
        // every dispatch of the plan's todos comes before the first of them finishes: they were all in flight
        int lastDispatch = indexOfLast(events, MissionEvent.TaskDispatched.class, 6);
        int firstFinish = indexOfFirst(events, MissionEvent.TaskFinished.class);
        assertTrue(lastDispatch < firstFinish, "dispatches " + lastDispatch + " vs first finish " + firstFinish);
    }

    private static String planJson() {
        StringBuilder todos = new StringBuilder();
        int index = 1;
        for (String file : FILES.keySet()) {
            todos.append(index > 1 ? "," : "").append("{\"id\":\"todo-").append(index++)
                    .append("\",\"description\":\"Write ").append(file).append("\",\"files\":[\"").append(file)
                    .append("\"]}");
        }
        return "{\"todos\":[" + todos + "]}";
    }

    private static int indexOfLast(List<MissionEvent> events, Class<?> type, int nth) {
        int seen = 0;
        for (int i = 0; i < events.size(); i++) {
            if (type.isInstance(events.get(i)) && ++seen == nth) {
                return i;
            }
        }
        return -1;
    }

    private static int indexOfFirst(List<MissionEvent> events, Class<?> type) {
        return indexOfLast(events, type, 1);
    }

    static void awaitQuietly(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new AssertionError("workers did not run in parallel: the latch never opened");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for parallel workers", e);
        }
    }
}
