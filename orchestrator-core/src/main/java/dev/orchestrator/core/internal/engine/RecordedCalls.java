package dev.orchestrator.core.internal.engine;

import dev.orchestrator.api.MissionEvent;
import dev.orchestrator.api.MissionEvent.LlmCallCompleted;
import dev.orchestrator.api.ToolResult;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The model and tool calls the journal holds, by task and by their deterministic ids. An agent that runs a task
 * again (after a crash, or after the task was deferred for a passing failure) re-runs its loop; every call found
 * here is answered from the journal, so nothing is paid for or done twice, and the first call not found here is
 * where live work continues.
 *
 * <p>It starts with a resumed mission's history and learns each call the mission completes; the calls of a task
 * that finished for good are forgotten, since no one will ask for them again, so that it holds only the calls of
 * tasks still under way. A {@code ReplayDiverged} drops the call it names and every call of its task learnt after
 * it: they belong to a conversation the task no longer has, and its live calls take their ids.
 */
final class RecordedCalls {

    /** One task's calls; a task makes its calls one at a time, but a resumed mission may ask from other threads. */
    private static final class TaskCalls {
        final Map<String, LlmCallCompleted> responses = new HashMap<>();
        final Map<String, ToolResult> toolResults = new HashMap<>();
        final Set<String> toolsStarted = new HashSet<>();
        /** Every call id in the order first learnt, so that a divergence knows what came after it. */
        final Set<String> order = new LinkedHashSet<>();

        synchronized void add(MissionEvent event) {
            switch (event) {
                case LlmCallCompleted e -> responses.put(learnt(e.callId()), e);
                case MissionEvent.ToolCallStarted e -> toolsStarted.add(learnt(e.callId()));
                case MissionEvent.ToolCallCompleted e -> toolResults.put(learnt(e.callId()), e.result());
                case MissionEvent.ReplayDiverged e -> dropFrom(e.callId());
                default -> {
                }
            }
        }

        private String learnt(String callId) {
            order.add(callId);
            return callId;
        }

        private void dropFrom(String callId) {
            boolean dropping = false;
            for (Iterator<String> ids = order.iterator(); ids.hasNext(); ) {
                String id = ids.next();
                dropping |= id.equals(callId);
                if (dropping) {
                    ids.remove();
                    responses.remove(id);
                    toolResults.remove(id);
                    toolsStarted.remove(id);
                }
            }
        }

        synchronized Optional<LlmCallCompleted> call(String callId) {
            return Optional.ofNullable(responses.get(callId));
        }

        synchronized Optional<ToolResult> toolResult(String callId) {
            return Optional.ofNullable(toolResults.get(callId));
        }

        synchronized boolean wasCutOff(String callId) {
            return toolsStarted.contains(callId) && !toolResults.containsKey(callId);
        }
    }

    private final Map<String, TaskCalls> byTask = new ConcurrentHashMap<>();

    RecordedCalls(List<MissionEvent> history) {
        history.forEach(this::add);
    }

    /** Learns the call {@code event} records, or the divergence it reports, if it is about a call. */
    void add(MissionEvent event) {
        String taskId = switch (event) {
            case LlmCallCompleted e -> e.taskId();
            case MissionEvent.ToolCallStarted e -> e.taskId();
            case MissionEvent.ToolCallCompleted e -> e.taskId();
            case MissionEvent.ReplayDiverged e -> e.taskId();
            default -> null;
        };
        if (taskId != null) {
            byTask.computeIfAbsent(taskId, id -> new TaskCalls()).add(event);
        }
    }

    /** Forgets the calls of {@code taskId}, which finished for good. */
    void forget(String taskId) {
        byTask.remove(taskId);
    }

    /** The recorded model call {@code callId} of {@code taskId}. */
    Optional<LlmCallCompleted> call(String taskId, String callId) {
        return Optional.ofNullable(byTask.get(taskId)).flatMap(calls -> calls.call(callId));
    }

    /** The recorded result of tool call {@code callId} of {@code taskId}. */
    Optional<ToolResult> toolResult(String taskId, String callId) {
        return Optional.ofNullable(byTask.get(taskId)).flatMap(calls -> calls.toolResult(callId));
    }

    /** Whether tool call {@code callId} started but has no recorded result: it was cut off by a crash. */
    boolean wasCutOff(String taskId, String callId) {
        TaskCalls calls = byTask.get(taskId);
        return calls != null && calls.wasCutOff(callId);
    }
}
