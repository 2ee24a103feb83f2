package dev.orchestrator.core.llm;

import static dev.orchestrator.core.llm.ScriptedReplies.brief;
import static dev.orchestrator.core.llm.ScriptedReplies.issues;
import static dev.orchestrator.core.llm.ScriptedReplies.plan;
import static dev.orchestrator.core.llm.ScriptedReplies.text;
import static dev.orchestrator.core.llm.ScriptedReplies.todo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.Agent;
import dev.orchestrator.api.ChatRequest;
import dev.orchestrator.api.ChatResponse;
import dev.orchestrator.api.Message;
import dev.orchestrator.api.Mission;
import dev.orchestrator.api.MissionEvent;
import dev.orchestrator.api.MissionResult;
import dev.orchestrator.core.internal.tools.Survivors;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A Worker waits for a background build in one tool call, and nothing it leaves running outlives the mission. */
class BackgroundCommandMissionTest {

    private static final Pattern ID = Pattern.compile("started in the background as (\\S+):");
    /**
     * The commands sleep this many seconds (and one and two more), a number of this run's own: processes are found
     * by their command line, and another build's test on the same machine must not count as a survivor here.
     */
    private static final long SLEEP = 40_000 + ProcessHandle.current().pid() % 50_000 * 3;

    @TempDir
    Path workspace;

    @Test
    void aWorkerWaitsForItsBuildInOneCallAndItsLeftoversEndWithTheTask() throws Exception {
        List<MissionEvent.ToolCallCompleted> calls = new CopyOnWriteArrayList<>();
        ScriptedProvider provider = ScriptedProvider.builder()
                .onTask(Agent.COMMANDER, "triage", brief("Build it."))
                .onTask(Agent.PLANNER, "plan", plan(todo("t1", "Build")))
                .onTask(Agent.WORKER, "t1#1",
                        ScriptedProvider.toolCall("run_command",
                                "{\"command\":\"sleep " + SLEEP + " & wait\",\"background\":true}"),
                        ScriptedProvider.toolCall("run_command",
                                "{\"command\":\"echo compiling; sleep 1; echo built > out.txt; echo ok\","
                                        + "\"background\":true}"),
                        withLastId(id -> "{\"id\":\"" + id + "\",\"since\":0,\"wait_ms\":60000,"
                                + "\"until_exit\":true}", "read_output"),
                        text("built"))
                .onTask(Agent.REVIEWER, "review-1", issues())
                .build();

        MissionResult result = Mission.builder().goal("Build it").workspace(workspace).provider(provider)
                .verifyWith("test -e out.txt")
                .listener((event, progress) -> {
                    if (event instanceof MissionEvent.ToolCallCompleted call) {
                        calls.add(call);
                    }
                })
                .build().run();

        assertEquals(MissionResult.Outcome.COMPLETED, result.outcome(), result.reason());
        String read = calls.stream().filter(call -> call.tool().equals("read_output")).findFirst().orElseThrow()
                .result().content();
        assertTrue(read.startsWith("exited with code 0"), read);
        assertTrue(read.contains("compiling\nok"), read);
        // found by its command line: inside a sandbox the pid it would print is not the host's
        assertEquals(List.of(), Survivors.of("sleep " + SLEEP),
                "the server the task left running ended with the task, at the latest with the mission");
    }

    @Test
    void aResumedMissionTellsTheModelItsBackgroundProcessIsGone(@TempDir Path journal) {
        Function<ChatRequest, ChatResponse> start = ScriptedProvider.toolCall("run_command",
                "{\"command\":\"sleep " + (SLEEP + 1) + "\",\"background\":true}");
        // the first run fails at the Worker's second call: the script has no answer for it
        MissionResult failed = Mission.builder().goal("Serve it").workspace(workspace).journal(journal)
                .provider(ScriptedProvider.builder()
                        .onTask(Agent.COMMANDER, "triage", brief("Serve it."))
                        .onTask(Agent.PLANNER, "plan", plan(todo("t1", "Serve")))
                        .onTask(Agent.WORKER, "t1#1", start).build())
                .verifyWith("true").build().run();
        assertEquals(MissionResult.Outcome.FAILED, failed.outcome(), failed.reason());

        List<MissionEvent.ToolCallCompleted> calls = new CopyOnWriteArrayList<>();
        MissionResult resumed = Mission.builder().goal("Serve it").workspace(workspace).journal(journal)
                .provider(ScriptedProvider.builder()
                        .onTask(Agent.WORKER, "t1#1", start,
                                withLastId(id -> "{\"id\":\"" + id + "\",\"wait_ms\":60000}", "read_output"),
                                text("the server is gone"))
                        .onTask(Agent.REVIEWER, "review-1", issues()).build())
                .verifyWith("true")
                .listener((event, progress) -> {
                    if (event instanceof MissionEvent.ToolCallCompleted call) {
                        calls.add(call);
                    }
                })
                .build().run();

        assertEquals(MissionResult.Outcome.COMPLETED, resumed.outcome(), resumed.reason());
        String read = calls.stream().filter(call -> call.tool().equals("read_output")).findFirst().orElseThrow()
                .result().content();
        assertTrue(read.contains("is gone") && read.contains("earlier run"), read);
    }

    @Test
    void stopProcessEndsTheTreeMidMissionInsideTheSandboxToo() {
        List<String> alive = new CopyOnWriteArrayList<>();
        ScriptedProvider provider = ScriptedProvider.builder()
                .onTask(Agent.COMMANDER, "triage", brief("Serve it."))
                .onTask(Agent.PLANNER, "plan", plan(todo("t1", "Serve")))
                .onTask(Agent.WORKER, "t1#1",
                        ScriptedProvider.toolCall("run_command",
                                "{\"command\":\"sh -c 'sleep " + (SLEEP + 2) + "' & sleep " + (SLEEP + 2)
                                        + " & wait\",\"background\":true}"),
                        withLastId(id -> "{\"id\":\"" + id + "\"}", "stop_process"),
                        request -> {
                            // the mission is still running: only stop_process can have ended them
                            alive.addAll(Survivors.of("sleep " + (SLEEP + 2)));
                            return ScriptedProvider.text("stopped").apply(request);
                        })
                .onTask(Agent.REVIEWER, "review-1", issues())
                .build();

        MissionResult result = Mission.builder().goal("Serve it").workspace(workspace).provider(provider)
                .verifyWith("true").build().run();

        assertEquals(MissionResult.Outcome.COMPLETED, result.outcome(), result.reason());
        assertEquals(List.of(), alive, "every process of the stopped command ended");
    }

    /** A call of {@code tool} with arguments made from the id the last run_command answer gave. */
    private static Function<ChatRequest, ChatResponse> withLastId(Function<String, String> arguments, String tool) {
        return request -> {
            for (Message message : request.messages().reversed()) {
                if (message instanceof Message.ToolResult result) {
                    Matcher matcher = ID.matcher(result.content());
                    if (matcher.find()) {
                        return ScriptedProvider.toolCall(tool, arguments.apply(matcher.group(1))).apply(request);
                    }
                }
            }
            throw new AssertionError("no background process was started");
        };
    }
}
