package dev.orchestrator.core.internal.engine;

import dev.orchestrator.api.ChatResponse;
import dev.orchestrator.api.MissionEvent;
import dev.orchestrator.api.ToolResult;
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
 * tasks still under way.
 */
final class RecordedCalls {

    /** One task's calls. */
    private static final class TaskCalls {
        final Map<String, ChatResponse> responses = new ConcurrentHashMap<>();
        final Map<String, ToolResult> toolResults = new ConcurrentHashMap<>();
        final Set<String> toolsStarted = ConcurrentHashMap.newKeySet();
    }

    private final Map<String, TaskCalls> byTask = new ConcurrentHashMap<>();

    RecordedCalls(List<MissionEvent> history) {
        history.forEach(this::add);
    }

    /** Learns the call {@code event} records, if it records one. */
    void add(MissionEvent event) {
        switch (event) {
            case MissionEvent.LlmCallCompleted e -> calls(e.taskId()).responses.put(e.callId(), e.response());
            case MissionEvent.ToolCallStarted e -> calls(e.taskId()).toolsStarted.add(e.callId());
            case MissionEvent.ToolCallCompleted e -> calls(e.taskId()).toolResults.put(e.callId(), e.result());
            default -> {
            }
        }
    }

    /** Forgets the calls of {@code taskId}, which finished for good. */
    void forget(String taskId) {
        byTask.remove(taskId);
    }

    /** The recorded response of model call {@code callId} of {@code taskId}. */
    Optional<ChatResponse> response(String taskId, String callId) {
        return Optional.ofNullable(byTask.get(taskId)).map(calls -> calls.responses.get(callId));
    }

    /** The recorded result of tool call {@code callId} of {@code taskId}. */
    Optional<ToolResult> toolResult(String taskId, String callId) {
        return Optional.ofNullable(byTask.get(taskId)).map(calls -> calls.toolResults.get(callId));
    }

    /** Whether tool call {@code callId} started but has no recorded result: it was cut off by a crash. */
    boolean wasCutOff(String taskId, String callId) {
        TaskCalls calls = byTask.get(taskId);
        return calls != null && calls.toolsStarted.contains(callId) && !calls.toolResults.containsKey(callId);
    }

    private TaskCalls calls(String taskId) {
        return byTask.computeIfAbsent(taskId, id -> new TaskCalls());
    }
}
