package dev.orchestrator.core.internal.engine;

import dev.orchestrator.api.MissionEvent;
import dev.orchestrator.api.MissionEvent.CallsPaused;
import dev.orchestrator.api.MissionEvent.CommandStarted;
import dev.orchestrator.api.MissionEvent.ConcurrencyChanged;
import dev.orchestrator.api.MissionEvent.LlmCallCompleted;
import dev.orchestrator.api.MissionEvent.ToolCallCompleted;
import dev.orchestrator.api.MissionEvent.ToolCallStarted;
import io.vavr.Tuple2;
import io.vavr.collection.HashMap;
import io.vavr.collection.Map;
import io.vavr.collection.Vector;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything a resume needs, as a fold over the mission's events: the {@link MissionState} and the few events whose
 * effect outlives the state. An engine snapshot is this value encoded ({@link CheckpointCodec}); resuming folds the
 * events after it, so a snapshot stands for the whole history before it.
 *
 * <p>What a resume reads from history besides the state, and what is kept here for it:
 * <ul>
 * <li>the model and tool calls of tasks still under way, which {@link RecordedCalls} answers when those tasks run
 * again. A task's calls are dropped by the event that ends it for good: {@code TaskFinished} for a todo's attempt
 * ({@code todo#attempt}), {@code BriefWritten} for {@code triage}, {@code TodosPlanned} of iteration 0 for {@code
 * plan} and of iteration n for {@code fix-n}, {@code ReviewCompleted} n for {@code review-n} (the same points at
 * which the engine forgets them). A deferred task keeps its calls, since it runs again under the same id. Calls of a
 * task id none of these names are kept. A {@code ReplayDiverged} drops the call it names and the task's calls after
 * it, as {@link RecordedCalls} does.</li>
 * <li>the last {@code ConcurrencyChanged} and {@code CallsPaused} of each limiter, to restore the rate limiter;</li>
 * <li>the {@code CommandStarted} events since the last {@code MissionResumed}: the processes a crashed run may have
 * left behind (the resume before that ended the older ones). Only the newest {@value #COMMANDS_KEPT} are kept, so
 * that a long mission's checkpoint does not grow with its commands: a command that many commands ago has ended
 * long since, and ending a session checks the process's start time, so a reused pid is never hit;</li>
 * <li>the usage per role and model, which the dollar budget prices and the result reports; and the number of
 * events, which the resume reports;</li>
 * <li>the listeners' context of the {@code MissionStarted} event, which every run hands to its listeners.</li>
 * </ul>
 *
 * @param state the mission state
 * @param events how many events the fold has seen
 * @param openCalls the call events of each task still under way, oldest first
 * @param limits the last limit change of each limiter
 * @param pauses the last pause of each limiter
 * @param commands the commands started since the last resume
 * @param usage the usage of the mission's calls, by role and by the model that answered
 * @param context what the listeners kept when the mission started
 */
record Checkpoint(MissionState state, long events, Map<String, Vector<MissionEvent>> openCalls,
        Map<String, ConcurrencyChanged> limits, Map<String, CallsPaused> pauses, Vector<CommandStarted> commands,
        UsageLedger usage, java.util.Map<String, String> context) {

    /** The most commands kept for a resume to end. */
    static final int COMMANDS_KEPT = 1_000;

    static final Checkpoint EMPTY = new Checkpoint(MissionState.EMPTY, 0, HashMap.empty(), HashMap.empty(),
            HashMap.empty(), Vector.empty(), UsageLedger.EMPTY, java.util.Map.of());

    /** The checkpoint after {@code event}. */
    Checkpoint apply(MissionEvent event) {
        MissionState nextState = state.apply(event);
        Map<String, Vector<MissionEvent>> calls = openCalls;
        Map<String, ConcurrencyChanged> nextLimits = limits;
        Map<String, CallsPaused> nextPauses = pauses;
        Vector<CommandStarted> nextCommands = commands;
        UsageLedger nextUsage = usage;
        java.util.Map<String, String> nextContext = context;
        switch (event) {
            case LlmCallCompleted e -> {
                calls = withCall(calls, e.taskId(), e);
                nextUsage = nextUsage.add(e.role(), e.response().model(), e.response().usage());
            }
            case ToolCallStarted e -> calls = withCall(calls, e.taskId(), e);
            case ToolCallCompleted e -> calls = withCall(calls, e.taskId(), e);
            case MissionEvent.ReplayDiverged e -> calls = withoutCallsFrom(calls, e.taskId(), e.callId());
            case MissionEvent.TaskFinished e -> calls = calls.remove(e.todoId() + "#" + e.attempt());
            case MissionEvent.BriefWritten e -> calls = calls.remove("triage");
            case MissionEvent.TodosPlanned e ->
                    calls = calls.remove(e.iteration() == 0 ? "plan" : "fix-" + e.iteration());
            case MissionEvent.ReviewCompleted e -> calls = calls.remove("review-" + e.iteration());
            case ConcurrencyChanged e -> nextLimits = nextLimits.put(e.limiter(), e);
            case CallsPaused e -> nextPauses = nextPauses.put(e.limiter(), e);
            case CommandStarted e -> nextCommands = nextCommands.append(e).takeRight(COMMANDS_KEPT);
            case MissionEvent.MissionResumed e -> nextCommands = Vector.empty();
            case MissionEvent.MissionStarted e -> nextContext = e.context();
            default -> {
            }
        }
        return new Checkpoint(nextState, events + 1, calls, nextLimits, nextPauses, nextCommands, nextUsage,
                nextContext);
    }

    /** The checkpoint after {@code history}, from this one. */
    Checkpoint applyAll(Iterable<? extends MissionEvent> history) {
        Checkpoint checkpoint = this;
        for (MissionEvent event : history) {
            checkpoint = checkpoint.apply(event);
        }
        return checkpoint;
    }

    /** The events kept beside the state: each task's calls in order, then limits, pauses and commands. */
    List<MissionEvent> carried() {
        // plain loops over the maps' entries: every resume asks this first thing in a fresh JVM, where vavr's
        // values(), flatMap and appendAll (a lazy Stream, a lambda each) cost milliseconds of class loading even when
        // all of it is empty
        List<MissionEvent> all = new ArrayList<>();
        for (Tuple2<String, Vector<MissionEvent>> task : openCalls) {
            for (MissionEvent call : task._2()) {
                all.add(call);
            }
        }
        for (Tuple2<String, ConcurrencyChanged> limit : limits) {
            all.add(limit._2());
        }
        for (Tuple2<String, CallsPaused> pause : pauses) {
            all.add(pause._2());
        }
        for (MissionEvent command : commands) {
            all.add(command);
        }
        return all;
    }

    /** {@code calls} without the call {@code callId} of {@code taskId} and the task's calls after it. */
    private static Map<String, Vector<MissionEvent>> withoutCallsFrom(Map<String, Vector<MissionEvent>> calls,
            String taskId, String callId) {
        Vector<MissionEvent> kept = calls.get(taskId).getOrElse(Vector.empty())
                .takeWhile(call -> !callId.equals(callId(call)));
        // a task with no calls has no entry, as after a snapshot
        return kept.isEmpty() ? calls.remove(taskId) : calls.put(taskId, kept);
    }

    private static String callId(MissionEvent call) {
        return switch (call) {
            case LlmCallCompleted e -> e.callId();
            case ToolCallStarted e -> e.callId();
            case ToolCallCompleted e -> e.callId();
            default -> throw new IllegalArgumentException("not a call: " + call);
        };
    }

    private static Map<String, Vector<MissionEvent>> withCall(Map<String, Vector<MissionEvent>> calls, String taskId,
            MissionEvent call) {
        return calls.put(taskId, calls.get(taskId).getOrElse(Vector.empty()).append(call));
    }
}
