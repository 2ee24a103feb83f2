package dev.orchestrator.opentelemetry;

import dev.orchestrator.api.ChatRequest;
import dev.orchestrator.api.ChatResponse;
import dev.orchestrator.api.MissionEvent;
import dev.orchestrator.api.MissionEvent.AgentNote;
import dev.orchestrator.api.MissionEvent.BriefWritten;
import dev.orchestrator.api.MissionEvent.CallRetried;
import dev.orchestrator.api.MissionEvent.CallWaited;
import dev.orchestrator.api.MissionEvent.CallsPaused;
import dev.orchestrator.api.MissionEvent.ConcurrencyChanged;
import dev.orchestrator.api.MissionEvent.LlmCallCompleted;
import dev.orchestrator.api.MissionEvent.LlmCallFailed;
import dev.orchestrator.api.MissionEvent.MissionFinished;
import dev.orchestrator.api.MissionEvent.MissionReopened;
import dev.orchestrator.api.MissionEvent.MissionResumed;
import dev.orchestrator.api.MissionEvent.MissionStarted;
import dev.orchestrator.api.MissionEvent.ReplayDiverged;
import dev.orchestrator.api.MissionEvent.ReviewCompleted;
import dev.orchestrator.api.MissionEvent.TaskDeferred;
import dev.orchestrator.api.MissionEvent.TaskDispatched;
import dev.orchestrator.api.MissionEvent.TaskFinished;
import dev.orchestrator.api.MissionEvent.TodosPlanned;
import dev.orchestrator.api.MissionEvent.ToolCallCompleted;
import dev.orchestrator.api.MissionEvent.ToolCallStarted;
import dev.orchestrator.api.MissionEvent.VerifyCompleted;
import dev.orchestrator.api.MissionListener;
import dev.orchestrator.api.MissionResult.Outcome;
import dev.orchestrator.core.llm.ModelPrices;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns one mission run's events into spans: the run's mission span, an {@code invoke_agent} span per agent task,
 * a {@code chat} span per model call and an {@code execute_tool} span per tool call, each started and ended at the
 * times its events carry. It runs on the mission's listener thread only, so it keeps plain maps.
 *
 * <p>Todo tasks open at their dispatch and close when they finish or are deferred. The Commander's, Planner's and
 * Reviewer's tasks (triage, plan, review-N, fix-N) have no dispatch event: they open with their first call, from the
 * moment the step before them ended, and close with the event their answer is recorded as.
 */
final class MissionSpans {

    private final Tracer tracer;
    private final TelemetryMetrics metrics;
    private final Map<String, TracedProvider.Call> calls;
    private final ModelPrices prices;
    private final boolean captureContents;
    private final MissionListener.RunStarted run;
    private final Contents contents;
    private final Context parent;
    // the first run's mission span, begun on the thread that started the mission; null on a later run
    private Span started;
    private Span mission;
    private Context missionContext;
    private final Map<String, Span> tasks = new LinkedHashMap<>();
    private final Map<String, Span> tools = new HashMap<>();
    private final Map<String, Instant> lastSeen = new HashMap<>();
    // a call's span is built when the call ends, after its retries: they wait here, by task
    private final Map<String, List<Retry>> retries = new HashMap<>();
    // the todos' descriptions, kept only when contents are exported
    private final Map<String, String> todos = new HashMap<>();
    // when the mission's last step (a brief, a plan, a review) ended: where the next leader task begins
    private Instant stepEnded;

    MissionSpans(Tracer tracer, TelemetryMetrics metrics, Map<String, TracedProvider.Call> calls, ModelPrices prices,
            boolean captureContents, MissionListener.RunStarted run, Context parent, Span started) {
        this.tracer = tracer;
        this.metrics = metrics;
        this.calls = calls;
        this.prices = prices;
        this.captureContents = captureContents;
        this.run = run;
        this.contents = new Contents(run.redaction());
        this.parent = parent;
        this.started = started;
    }

    void on(MissionEvent event) {
        switch (event) {
            case MissionStarted e -> startMission(e.at(), "started", e.goal());
            case MissionResumed e -> startMission(e.at(), "resumed", "");
            case MissionReopened e -> {
                startMission(e.at(), "reopened", "");
                mission.addEvent("mission_reopened", Attributes.of(GenAi.MISSION_OUTCOME, e.previousOutcome().name(),
                        GenAi.TEXT, contents.text(e.previousReason())), e.at());
            }
            case BriefWritten e -> endStep(e.at());
            case TodosPlanned e -> {
                if (captureContents) {
                    e.todos().forEach(todo -> todos.put(todo.id(), contents.text(todo.description())));
                }
                endStep(e.at());
            }
            case ReviewCompleted e -> endStep(e.at());
            case VerifyCompleted e -> {
                stepEnded = e.at();
                missionSpan(e.at()).addEvent("verify_completed", Attributes.builder()
                        .put("orchestrator.verify.exit_code", e.result().exitCode())
                        .put("orchestrator.verify.passed", e.result().passed()).build(), e.at());
            }
            case TaskDispatched e -> startTodo(e);
            case TaskFinished e -> endTask(e.todoId() + "#" + e.attempt(), e.at(), e.succeeded() ? null : "failed");
            case TaskDeferred e -> {
                task(e.taskId(), e.role(), e.at()).addEvent("task_deferred", Attributes.of(GenAi.ERROR_MESSAGE,
                        contents.text(e.reason()), GenAi.RETRY_AT, e.retryAt().toString()), e.at());
                endTask(e.taskId(), e.at(), null);
            }
            case LlmCallCompleted e -> chat(e.callId(), e.taskId(), e.role(), e.at(), e.response(), null);
            case LlmCallFailed e -> chat(e.callId(), e.taskId(), e.role(), e.at(), null, e.error());
            case CallRetried e -> retried(e);
            case CallWaited e -> {
                metrics.waited(e.limiter(), e.waited());
                missionSpan(e.at()).addEvent("call_waited", Attributes.of(GenAi.LIMITER, e.limiter(),
                        GenAi.DELAY_MS, e.waited().toMillis()), e.at());
            }
            case CallsPaused e -> {
                metrics.paused(e.limiter(), e.cause(), Duration.between(e.at(), e.until()));
                missionSpan(e.at()).addEvent("calls_paused", Attributes.of(GenAi.LIMITER, e.limiter(), GenAi.CAUSE,
                        e.cause(), GenAi.DELAY_MS, Duration.between(e.at(), e.until()).toMillis()), e.at());
            }
            case ConcurrencyChanged e -> {
                metrics.limitChanged(e.limiter(), e.limit());
                missionSpan(e.at()).addEvent("concurrency_changed", Attributes.of(GenAi.LIMITER, e.limiter(),
                        GenAi.CAUSE, e.cause(), GenAi.LIMIT, e.limit()), e.at());
            }
            case ToolCallStarted e -> startTool(e);
            case ToolCallCompleted e -> endTool(e);
            case ReplayDiverged e -> task(e.taskId(), "", e.at()).addEvent("replay_diverged",
                    Attributes.of(GenAi.CALL_ID, e.callId()), e.at());
            case AgentNote e -> {
                AttributesBuilder attributes = Attributes.builder().put(GenAi.ROLE, e.role());
                if (captureContents) {
                    attributes.put(GenAi.TEXT, contents.text(e.text()));
                }
                task(e.taskId(), "", e.at()).addEvent("agent_note", attributes.build(), e.at());
            }
            case MissionFinished e -> finish(e);
            default -> {
                // memory notes, commands started: nothing a trace shows
            }
        }
    }

    private void startMission(Instant at, String how, String goal) {
        if (mission != null) {
            return;
        }
        stepEnded = at;
        AttributesBuilder attributes = Attributes.builder().put(GenAi.MISSION_ID, run.missionId())
                .put(GenAi.RUN, how)
                .put(GenAi.EVENTS_REPLAYED, run.eventsReplayed());
        if (captureContents && !goal.isEmpty()) {
            attributes.put(GenAi.MISSION_GOAL, contents.text(goal));
        }
        mission = started != null ? started : tracer.spanBuilder("mission").setParent(parent)
                .setSpanKind(SpanKind.INTERNAL).setStartTimestamp(at).startSpan();
        started = null;
        mission.setAllAttributes(attributes.build());
        missionContext = Context.root().with(mission);
    }

    /** The run's mission span; a run whose first event is another (a listener added late) opens it there. */
    private Span missionSpan(Instant at) {
        if (mission == null) {
            startMission(at, "joined", "");
        }
        return mission;
    }

    private void endStep(Instant at) {
        stepEnded = at;
        // the leader tasks run one at a time and end with their step
        List<String> leaders = tasks.keySet().stream().filter(id -> !id.contains("#")).toList();
        leaders.forEach(id -> endTask(id, at, null));
    }

    private void startTodo(TaskDispatched e) {
        String taskId = e.todoId() + "#" + e.attempt();
        Span span = startTask(taskId, e.role(), e.at());
        span.setAttribute(GenAi.TODO_ID, e.todoId());
        span.setAttribute(GenAi.ATTEMPT, (long) e.attempt());
        if (captureContents && todos.containsKey(e.todoId())) {
            span.setAttribute(GenAi.TODO, todos.get(e.todoId()));
        }
    }

    private Span task(String taskId, String role, Instant at) {
        Span span = tasks.get(taskId);
        return span != null ? span : startTask(taskId, role, taskId.contains("#") ? at : stepEnded);
    }

    private Span startTask(String taskId, String role, Instant at) {
        missionSpan(at);
        Span span = tracer.spanBuilder(role.isEmpty() ? "invoke_agent" : "invoke_agent " + role)
                .setParent(missionContext).setSpanKind(SpanKind.INTERNAL).setStartTimestamp(at)
                .setAttribute(GenAi.OPERATION, "invoke_agent").setAttribute(GenAi.TASK_ID, taskId).startSpan();
        if (!role.isEmpty()) {
            span.setAttribute(GenAi.AGENT_NAME, role);
        }
        tasks.put(taskId, span);
        lastSeen.put(taskId, at);
        return span;
    }

    private void endTask(String taskId, Instant at, String error) {
        Span span = tasks.remove(taskId);
        if (span == null) {
            return;
        }
        tools.entrySet().removeIf(open -> {
            // a tool call still open when its task ends was cut off
            if (open.getKey().startsWith(run.missionId() + "/" + taskId + "/")) {
                open.getValue().setStatus(StatusCode.ERROR, "cut off").end(at);
                return true;
            }
            return false;
        });
        if (error != null) {
            span.setStatus(StatusCode.ERROR, error);
            span.setAttribute(GenAi.ERROR_TYPE, error);
        }
        span.end(at);
        lastSeen.remove(taskId);
    }

    private void retried(CallRetried e) {
        String errorType = errorType(e.error());
        metrics.retried(errorType);
        Attributes attributes = Attributes.of(GenAi.ERROR_TYPE, errorType, GenAi.ATTEMPT, (long) e.attempt(),
                GenAi.DELAY_MS, e.delay().toMillis());
        retries.computeIfAbsent(e.taskId(), id -> new ArrayList<>()).add(new Retry(attributes, e.at()));
    }

    private record Retry(Attributes attributes, Instant at) {
    }

    private void chat(String callId, String taskId, String role, Instant at, ChatResponse response, String error) {
        String turn = callId.substring(callId.lastIndexOf('/') + 1);
        TracedProvider.Call call = calls.remove(TracedProvider.key(taskId, turn));
        Instant start = call != null ? call.start() : lastSeen.getOrDefault(taskId, at);
        // a todo resumed after a crash has no dispatch in this run: its span opens with its first live call
        Span task = task(taskId, role, start);
        Instant end = call != null && response != null ? call.end() : at;
        String requestModel = call != null ? call.request().model().orElse("") : "";
        AttributesBuilder metricAttributes = Attributes.builder().put(GenAi.OPERATION, "chat");
        if (call != null) {
            metricAttributes.put(GenAi.PROVIDER, call.provider());
            metricAttributes.put(GenAi.REQUEST_MODEL, requestModel);
        }
        if (response != null && !response.model().isEmpty()) {
            metricAttributes.put(GenAi.RESPONSE_MODEL, response.model());
        }
        if (error != null) {
            metricAttributes.put(GenAi.ERROR_TYPE, errorType(error));
        }
        Attributes low = metricAttributes.build();
        String model = response != null && !response.model().isEmpty() ? response.model() : requestModel;
        Span span = tracer.spanBuilder(model.isEmpty() ? "chat" : "chat " + model)
                .setParent(Context.root().with(task)).setSpanKind(SpanKind.CLIENT).setStartTimestamp(start)
                .setAllAttributes(low).setAttribute(GenAi.CALL_ID, callId).startSpan();
        for (Retry retry : retries.getOrDefault(taskId, List.of())) {
            span.addEvent("retry", retry.attributes(), retry.at());
        }
        retries.remove(taskId);
        if (call != null) {
            call.request().metadata(ChatRequest.PURPOSE).ifPresent(purpose -> {
                span.setAttribute(GenAi.PURPOSE, purpose);
                if (purpose.equals(ChatRequest.COMPACTION)) {
                    task.addEvent("compaction", Attributes.of(GenAi.CALL_ID, callId), start);
                }
            });
            span.setAttribute(GenAi.MAX_TOKENS, (long) call.request().maxOutputTokens());
            call.request().temperature().ifPresent(t -> span.setAttribute(GenAi.TEMPERATURE, t));
            if (captureContents) {
                span.setAttribute(GenAi.SYSTEM_INSTRUCTIONS, contents.system(call.request()));
                span.setAttribute(GenAi.INPUT_MESSAGES, contents.input(call.request()));
            }
        }
        if (response != null) {
            span.setAttribute(GenAi.INPUT_TOKENS, response.usage().inputTokens() + response.usage().cacheReadTokens()
                    + response.usage().cacheWriteTokens());
            span.setAttribute(GenAi.OUTPUT_TOKENS, response.usage().outputTokens());
            span.setAttribute(GenAi.CACHE_READ_TOKENS, response.usage().cacheReadTokens());
            span.setAttribute(GenAi.CACHE_CREATION_TOKENS, response.usage().cacheWriteTokens());
            span.setAttribute(GenAi.FINISH_REASONS, List.of(Contents.finishReason(response)));
            if (captureContents) {
                span.setAttribute(GenAi.OUTPUT_MESSAGES, contents.output(response));
            }
            metrics.callCompleted(low, Duration.between(start, end), response.usage());
            if (!model.isEmpty()) {
                prices.cost(model, response.usage()).ifPresent(dollars -> metrics.cost(model,
                        dollars.doubleValue()));
            }
        } else {
            span.setStatus(StatusCode.ERROR, contents.text(error));
            metrics.callFailed(low, Duration.between(start, end));
        }
        span.end(end);
        lastSeen.put(taskId, at);
    }

    private void startTool(ToolCallStarted e) {
        Span task = task(e.taskId(), "", e.at());
        Span span = tracer.spanBuilder("execute_tool " + e.tool()).setParent(Context.root().with(task))
                .setSpanKind(SpanKind.INTERNAL).setStartTimestamp(e.at())
                .setAttribute(GenAi.OPERATION, "execute_tool").setAttribute(GenAi.TOOL_NAME, e.tool())
                .setAttribute(GenAi.TOOL_CALL_ID, e.callId()).setAttribute(GenAi.TOOL_TYPE, "function").startSpan();
        if (captureContents) {
            span.setAttribute(GenAi.TOOL_ARGUMENTS, contents.text(e.arguments()));
        }
        tools.put(e.callId(), span);
    }

    private void endTool(ToolCallCompleted e) {
        Span span = tools.remove(e.callId());
        if (span == null) {
            // answered without a start: a resumed run reports a cut-off call of a tool that is not idempotent
            startTool(new ToolCallStarted(e.callId(), e.taskId(), e.tool(), "", e.at()));
            span = tools.remove(e.callId());
        }
        if (captureContents) {
            span.setAttribute(GenAi.TOOL_RESULT, contents.text(e.result().content()));
        }
        if (e.result().isError()) {
            span.setStatus(StatusCode.ERROR, "the tool answered with an error");
            span.setAttribute(GenAi.ERROR_TYPE, "tool_error");
        }
        span.end(e.at());
        lastSeen.put(e.taskId(), e.at());
    }

    private void finish(MissionFinished e) {
        Span span = missionSpan(e.at());
        for (String taskId : List.copyOf(tasks.keySet())) {
            endTask(taskId, e.at(), null);
        }
        tools.values().forEach(tool -> tool.setStatus(StatusCode.ERROR, "cut off").end(e.at()));
        tools.clear();
        span.setAttribute(GenAi.MISSION_OUTCOME, e.outcome().name());
        if (e.outcome() != Outcome.COMPLETED) {
            span.setStatus(StatusCode.ERROR, contents.text(e.reason()));
            span.setAttribute(GenAi.ERROR_TYPE, e.outcome().name());
        }
        span.end(e.at());
        metrics.missionEnded(e.outcome().name());
        mission = null;
    }

    /** A low-cardinality error type from the engine's "Class: message" description of a failure. */
    static String errorType(String error) {
        int colon = error.indexOf(':');
        return colon < 0 ? error : error.substring(0, colon);
    }
}
