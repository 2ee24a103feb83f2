package dev.orchestrator.core.internal.engine;

import dev.orchestrator.api.Message;
import dev.orchestrator.api.MissionEvent.AgentNote;
import dev.orchestrator.api.MissionEvent.ToolCallCompleted;
import dev.orchestrator.api.MissionEvent.ToolCallStarted;
import dev.orchestrator.api.MissionStoppedException;
import dev.orchestrator.api.Tool;
import dev.orchestrator.api.ToolBox;
import dev.orchestrator.api.ToolCall;
import dev.orchestrator.api.ToolException;
import dev.orchestrator.api.ToolPolicy;
import dev.orchestrator.api.ToolResult;
import dev.orchestrator.api.ToolSpec;
import dev.orchestrator.api.Workspace;
import dev.orchestrator.core.internal.tools.CutOffReport;
import dev.orchestrator.core.internal.tools.ParsedArguments;
import dev.orchestrator.core.internal.tools.Redactor;
import dev.orchestrator.core.internal.tools.TaskToolContext;
import dev.orchestrator.core.internal.tools.ToolIoFailure;
import java.util.List;
import java.util.Map;

/**
 * One task's tools. Every failure of a call becomes an error result the model can read and correct (the "tool
 * crash, then recovery" loop); only a stopping mission escapes as an exception. A resumed mission answers calls
 * from the journal, re-runs idempotent calls the crash cut off, and reports cut-off calls of other tools instead
 * of repeating them. The user's {@link ToolPolicy} sees each live call first; every result has the mission's
 * known credentials redacted before the journal, the events or the model see it. A call that failed for a reason
 * outside the model's control ({@link ToolIoFailure}: an I/O error, a full disk) is answered but not journaled as
 * completed, so a resumed mission tries it again.
 */
final class TaskToolBox implements ToolBox {

    private final Map<String, Tool> tools;
    private final List<ToolSpec> specs;
    private final EventRecorder recorder;
    private final StopSignal stop;
    private final RecordedCalls recorded;
    private final String missionId;
    private final String role;
    private final String taskId;
    private final TaskToolContext context;
    private final ToolPolicy policy;
    private final Redactor redactor;
    private final ToolOutputCut cut;
    // a live call waits for the task's dispatch to be durable: write-ahead
    private final EventRecorder.Durable dispatched;

    TaskToolBox(Map<String, Tool> tools, List<ToolSpec> specs, EventRecorder recorder, StopSignal stop,
            RecordedCalls recorded, Workspace workspace, String missionId, String role, String taskId,
            ToolPolicy policy, Redactor redactor, ToolOutputCut cut, EventRecorder.Durable dispatched) {
        this.tools = tools;
        this.specs = specs;
        this.recorder = recorder;
        this.stop = stop;
        this.recorded = recorded;
        this.missionId = missionId;
        this.role = role;
        this.taskId = taskId;
        this.context = new TaskToolContext(workspace, taskId);
        this.policy = policy;
        this.redactor = redactor;
        this.cut = cut;
        this.dispatched = dispatched;
    }

    @Override
    public List<ToolSpec> specs() {
        return specs;
    }

    @Override
    public Message.ToolResult call(ToolCall call, int turn, int index) {
        String callId = missionId + "/" + taskId + "/" + turn + "/" + index;
        ToolResult result = recorded.toolResult(taskId, callId).orElseGet(() -> run(call, callId, turn));
        return new Message.ToolResult(call.id(), call.name(), result.content(), result.isError());
    }

    private ToolResult run(ToolCall call, String callId, int turn) {
        dispatched.await();
        stop.check();
        Outcome outcome;
        if (recorded.wasCutOff(taskId, callId)) {
            Tool tool = tools.get(call.name());
            outcome = tool == null || tool.isIdempotent() ? execute(call, turn)
                    : new Outcome(ToolResult.error(cutOff(tool, call)), true);
        } else {
            recorder.record(new ToolCallStarted(callId, taskId, call.name(), redactor.redact(call.arguments()),
                    recorder.now()));
            outcome = execute(call, turn);
        }
        // redacted before it is cut, so that a cut cannot leave half a secret behind
        ToolResult result = cut.apply(call, new ToolResult(redactor.redact(outcome.result().content()),
                outcome.result().isError()));
        if (outcome.isFinal()) {
            ToolCallCompleted completed = new ToolCallCompleted(callId, taskId, call.name(), result, recorder.now());
            recorder.record(completed);
            recorded.add(completed);
        }
        return result;
    }

    /** What the model is told of a call of a tool that is not idempotent, cut off by a crash and not repeated. */
    private static String cutOff(Tool tool, ToolCall call) {
        if (tool instanceof CutOffReport report) {
            try {
                return report.cutOff(ParsedArguments.parse(call.arguments()));
            } catch (ToolException e) {
                // arguments the call itself would have refused: the general answer below fits them as well
            }
        }
        return "this call of '" + call.name() + "' was cut off by a crash and is not repeated, since the tool is not "
                + "idempotent: check what it did, then call it again if it is still needed";
    }

    /** A call's result, and whether a resumed mission may answer the call with it (else it runs it again). */
    private record Outcome(ToolResult result, boolean isFinal) {
    }

    private Outcome execute(ToolCall call, int turn) {
        Tool tool = tools.get(call.name());
        if (tool == null) {
            return new Outcome(ToolResult.error("unknown tool '" + call.name() + "': use one of "
                    + String.join(", ", tools.keySet().stream().sorted().toList())), true);
        }
        if (policy.decide(new ToolPolicy.Request(role, taskId, call.name(), call.arguments()))
                instanceof ToolPolicy.Decision.Refuse refuse) {
            recorder.record(new AgentNote(taskId, "tool-policy", "refused " + call.name() + " of " + role + ": "
                    + redactor.redact(refuse.message()), recorder.now()));
            return new Outcome(ToolResult.error(refuse.message()), true);
        }
        try {
            return new Outcome(tool.execute(ParsedArguments.parse(call.arguments()), context.at(turn)), true);
        } catch (ToolIoFailure e) {
            return new Outcome(ToolResult.error(e.getMessage() + " (a failure of the machine, not of the call: it is "
                    + "tried again if the mission resumes)"), false);
        } catch (ToolException e) {
            return new Outcome(ToolResult.error(e.getMessage()), true);
        } catch (MissionStoppedException e) {
            throw e;
        } catch (RuntimeException e) {
            // the model sees workspace-relative paths only, even in an exception nobody phrased for it
            return new Outcome(ToolResult.error("tool '" + call.name() + "' crashed: "
                    + e.toString().replace(context.workspace().root() + "/", "").replace(
                            context.workspace().root().toString(), ".")
                    + ". Try different arguments or another way to reach the goal."), true);
        }
    }
}
