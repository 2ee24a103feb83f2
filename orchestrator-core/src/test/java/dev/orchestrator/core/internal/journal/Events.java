package dev.orchestrator.core.internal.journal;

import dev.orchestrator.api.ChatResponse;
import dev.orchestrator.api.Issue;
import dev.orchestrator.api.MissionEvent;
import dev.orchestrator.api.MissionResult;
import dev.orchestrator.api.RateLimits;
import dev.orchestrator.api.StopReason;
import dev.orchestrator.api.Todo;
import dev.orchestrator.api.ToolCall;
import dev.orchestrator.api.ToolResult;
import dev.orchestrator.api.Usage;
import dev.orchestrator.api.VerifyResult;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/** One event of every kind, with every field set to something other than its default. */
public final class Events {

    private static final Instant AT = Instant.parse("2026-11-27T23:59:58.123456789Z");

    private Events() {
    }

    public static List<MissionEvent> everyKind() {
        RateLimits known = new RateLimits(OptionalLong.of(42), OptionalLong.of(90_000),
                Optional.of(Duration.ofMillis(1500)), Optional.of(Duration.ofSeconds(61, 5)));
        ChatResponse withTools = new ChatResponse("thinking \"aloud\"\n",
                List.of(new ToolCall("call_1", "write_file", "{\"path\":\"a.txt\",\"content\":\"é\\u0000\"}"),
                        new ToolCall("call_2", "run", "not json {")),
                StopReason.TOOL_USE, new Usage(10, 20, 30, 40, 15), "model-x", known, "the user wants \"a\"\n");
        return List.of(
                MissionStarted("m-1", "Add a /health endpoint", "/work/svc", "mvn -q test", "use JDK 21", AT),
                new MissionEvent.MissionResumed(1234, List.of("todo-1", "todo-2"), AT),
                new MissionEvent.MissionReopened(MissionResult.Outcome.BUDGET_EXHAUSTED, "token budget reached", AT),
                new MissionEvent.BriefWritten("brief ✓", AT.plusNanos(1)),
                new MissionEvent.TodosPlanned(0, List.of(
                        new Todo("todo-1", "write it", List.of("A.java"), List.of(), "worker"),
                        new Todo("todo-2", "test it", List.of("ATest.java", "B.java"), List.of("todo-1"), "custom")),
                        List.of("todo-0"), AT),
                new MissionEvent.TaskDispatched("todo-1", 2, "worker", AT),
                new MissionEvent.TasksDispatched(List.of(new MissionEvent.TasksDispatched.Dispatch("todo-1", 3, "worker"),
                        new MissionEvent.TasksDispatched.Dispatch("todo-2", 1, "tester")), AT),
                new MissionEvent.LlmCallCompleted("m-1/todo-1#2/3", "todo-1#2", "worker", withTools, AT),
                new MissionEvent.LlmCallCompleted("m-1/plan/0", "plan", "planner",
                        ChatResponse.ofText("plan", Usage.of(1, 2), "m"), Optional.of("9f86d081884c7d65"), AT),
                new MissionEvent.ReplayDiverged("m-1/plan/1", "plan", AT),
                new MissionEvent.LlmCallFailed("m-1/todo-1#2/4", "todo-1#2", "worker", "LlmException: 401", AT),
                new MissionEvent.CallRetried("todo-1#2", 3, Duration.ofMillis(2500), "HTTP 529 overloaded", AT),
                new MissionEvent.CallWaited("anthropic/claude/requests", Duration.ofNanos(1_500_001), AT),
                new MissionEvent.ConcurrencyChanged("anthropic/claude/requests", 7.25,
                        Optional.of(AT.plusSeconds(30)), "RETRY_AFTER", AT),
                new MissionEvent.ConcurrencyChanged("openai/gpt/tokens", 1.0, Optional.empty(), "RATE_LIMITED", AT),
                new MissionEvent.ConcurrencyChanged("openai/gpt/key", 2.5, Optional.empty(), "PACED", 53.1, 40_000,
                        AT),
                new MissionEvent.CallsPaused("openai/gpt/key", "RETRY_AFTER", AT.plusSeconds(12), 3, AT),
                new MissionEvent.ToolCallStarted("m-1/todo-1#2/3/0", "todo-1#2", "write_file", "{\"path\":\"a\"}",
                        AT),
                new MissionEvent.ToolCallCompleted("m-1/todo-1#2/3/0", "todo-1#2", "write_file",
                        ToolResult.error("no such directory: make it first"), AT),
                new MissionEvent.CommandStarted(4242, AT.minusMillis(3), AT),
                new MissionEvent.TaskFinished("todo-1", 2, true, "done", AT),
                new MissionEvent.TaskDeferred("todo-1#2", Optional.of("todo-1"), "worker",
                        "Transient: HTTP 503", AT.plusMillis(1500), AT),
                new MissionEvent.TaskDeferred("review-1", Optional.empty(), "reviewer", "RateLimited: 429",
                        AT.plusSeconds(30), AT),
                new MissionEvent.VerifyCompleted(1, new VerifyResult("mvn -q test", -1, "...[cut]", true), AT),
                new MissionEvent.ReviewCompleted(1, List.of(new Issue("missing test", List.of("ATest.java"))), AT),
                new MissionEvent.AgentNote("todo-1#2", "worker", "halfway", AT),
                new MissionEvent.MemoryNoted("build with mvn -q", AT),
                new MissionEvent.MissionFinished(MissionResult.Outcome.BUDGET_EXHAUSTED, "spent", AT));
    }

    private static MissionEvent.MissionStarted MissionStarted(String id, String goal, String workspace,
            String verify, String memory, Instant at) {
        return new MissionEvent.MissionStarted(id, goal, workspace, verify, memory,
                Map.of("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"), at);
    }
}
