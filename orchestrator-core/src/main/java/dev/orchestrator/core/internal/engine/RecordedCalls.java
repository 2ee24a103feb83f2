package dev.orchestrator.core.internal.engine;

import dev.orchestrator.api.ChatResponse;
import dev.orchestrator.api.MissionEvent;
import dev.orchestrator.api.ToolResult;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The model and tool calls a resumed mission's journal already holds, by their deterministic ids. Agents re-run
 * their loops after a crash; every call found here is answered from the journal, so nothing is paid for or done
 * twice, and the first call not found here is where live work continues.
 */
final class RecordedCalls {

    static final RecordedCalls NONE = new RecordedCalls(List.of());

    private final Map<String, ChatResponse> responses = new HashMap<>();
    private final Map<String, ToolResult> toolResults = new HashMap<>();
    private final Set<String> toolsStarted = new HashSet<>();

    RecordedCalls(List<MissionEvent> history) {
        for (MissionEvent event : history) {
            switch (event) {
                case MissionEvent.LlmCallCompleted e -> responses.put(e.callId(), e.response());
                case MissionEvent.ToolCallStarted e -> toolsStarted.add(e.callId());
                case MissionEvent.ToolCallCompleted e -> toolResults.put(e.callId(), e.result());
                default -> {
                }
            }
        }
    }

    /** The recorded response of model call {@code callId}. */
    Optional<ChatResponse> response(String callId) {
        return Optional.ofNullable(responses.get(callId));
    }

    /** The recorded result of tool call {@code callId}. */
    Optional<ToolResult> toolResult(String callId) {
        return Optional.ofNullable(toolResults.get(callId));
    }

    /** Whether tool call {@code callId} started but has no recorded result: it was cut off by the crash. */
    boolean wasCutOff(String callId) {
        return toolsStarted.contains(callId) && !toolResults.containsKey(callId);
    }
}
