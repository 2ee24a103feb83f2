package dev.orchestrator.core.internal.engine;

import dev.orchestrator.api.Message;
import dev.orchestrator.api.MissionEvent.ToolCallCompleted;
import dev.orchestrator.api.MissionEvent.ToolCallStarted;
import dev.orchestrator.api.MissionStoppedException;
import dev.orchestrator.api.Tool;
import dev.orchestrator.api.ToolBox;
import dev.orchestrator.api.ToolCall;
import dev.orchestrator.api.ToolContext;
import dev.orchestrator.api.ToolException;
import dev.orchestrator.api.ToolResult;
import dev.orchestrator.api.ToolSpec;
import dev.orchestrator.api.Workspace;
import dev.orchestrator.core.internal.tools.ParsedArguments;
import dev.orchestrator.core.internal.tools.TaskToolContext;
import java.util.List;
import java.util.Map;

/**
 * One task's tools. Every failure of a call becomes an error result the model can read and correct (the "tool
 * crash, then recovery" loop); only a stopping mission escapes as an exception. A resumed mission answers calls
 * from the journal, re-runs idempotent calls the crash cut off, and reports cut-off calls of other tools instead
 * of repeating them.
 */
final class TaskToolBox implements ToolBox {

    /** Tool output beyond this is cut, so one huge result cannot crowd the model's context. */
    static final int MAX_RESULT_CHARS = 60_000;

    private final Map<String, Tool> tools;
    private final List<ToolSpec> specs;
    private final EventRecorder recorder;
    private final StopSignal stop;
    private final RecordedCalls recorded;
    private final String missionId;
    private final String taskId;
    private final ToolContext context;

    TaskToolBox(Map<String, Tool> tools, List<ToolSpec> specs, EventRecorder recorder, StopSignal stop,
            RecordedCalls recorded, Workspace workspace, String missionId, String taskId) {
        this.tools = tools;
        this.specs = specs;
        this.recorder = recorder;
        this.stop = stop;
        this.recorded = recorded;
        this.missionId = missionId;
        this.taskId = taskId;
        this.context = new TaskToolContext(workspace, taskId);
    }

    @Override
    public List<ToolSpec> specs() {
        return specs;
    }

    @Override
    public Message.ToolResult call(ToolCall call, int turn, int index) {
        String callId = missionId + "/" + taskId + "/" + turn + "/" + index;
        ToolResult result = recorded.toolResult(taskId, callId).orElseGet(() -> run(call, callId));
        return new Message.ToolResult(call.id(), call.name(), result.content(), result.isError());
    }

    private ToolResult run(ToolCall call, String callId) {
        stop.check();
        ToolResult result;
        if (recorded.wasCutOff(taskId, callId)) {
            Tool tool = tools.get(call.name());
            result = tool == null || tool.isIdempotent() ? execute(call) : ToolResult.error("this call of '"
                    + call.name() + "' was cut off by a crash and is not repeated, since the tool is not idempotent: "
                    + "check what it did, then call it again if it is still needed");
        } else {
            recorder.record(new ToolCallStarted(callId, taskId, call.name(), call.arguments(), recorder.now()));
            result = execute(call);
        }
        ToolCallCompleted completed = new ToolCallCompleted(callId, taskId, call.name(), result, recorder.now());
        recorder.record(completed);
        recorded.add(completed);
        return result;
    }

    private ToolResult execute(ToolCall call) {
        Tool tool = tools.get(call.name());
        if (tool == null) {
            return ToolResult.error("unknown tool '" + call.name() + "': use one of "
                    + String.join(", ", tools.keySet().stream().sorted().toList()));
        }
        try {
            return truncate(tool.execute(ParsedArguments.parse(call.arguments()), context));
        } catch (ToolException e) {
            return ToolResult.error(e.getMessage());
        } catch (MissionStoppedException e) {
            throw e;
        } catch (RuntimeException e) {
            return ToolResult.error("tool '" + call.name() + "' crashed: " + e
                    + ". Try different arguments or another way to reach the goal.");
        }
    }

    private static ToolResult truncate(ToolResult result) {
        if (result.content().length() <= MAX_RESULT_CHARS) {
            return result;
        }
        String cut = result.content().substring(0, MAX_RESULT_CHARS) + "\n… [" + (result.content().length()
                - MAX_RESULT_CHARS) + " characters cut: ask for less, e.g. by lines or a narrower search]";
        return new ToolResult(cut, result.isError());
    }
}
