package dev.orchestrator.core.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.ChatResponse;
import dev.orchestrator.api.MissionEvent;
import dev.orchestrator.api.MissionEvent.LlmCallCompleted;
import dev.orchestrator.api.ToolResult;
import dev.orchestrator.api.Usage;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RecordedCallsTest {

    private static final Instant AT = Instant.EPOCH;

    @Test
    void aDivergenceDropsItsCallAndTheTasksLaterCallsButNotEarlierOnesNorOtherTasks() {
        RecordedCalls calls = new RecordedCalls(List.of(
                call("t", "m/t/0"), toolDone("t", "m/t/0/0"),
                call("t", "m/t/1"), toolDone("t", "m/t/1/0"),
                call("t", "m/t/2"), new MissionEvent.ToolCallStarted("m/t/2/0", "t", "run_command", "{}", AT),
                call("u", "m/u/1"),
                new MissionEvent.ReplayDiverged("m/t/1", "t", AT)));

        assertTrue(calls.call("t", "m/t/0").isPresent());
        assertTrue(calls.toolResult("t", "m/t/0/0").isPresent());
        assertEquals(Optional.empty(), calls.call("t", "m/t/1"));
        assertEquals(Optional.empty(), calls.toolResult("t", "m/t/1/0"), "a tool result of the old conversation");
        assertEquals(Optional.empty(), calls.call("t", "m/t/2"));
        assertFalse(calls.wasCutOff("t", "m/t/2/0"));
        assertTrue(calls.call("u", "m/u/1").isPresent(), "another task's call with the same turn is kept");

        // the live call that takes the dropped id is answered next time
        LlmCallCompleted live = call("t", "m/t/1");
        calls.add(live);
        assertEquals(Optional.of(live), calls.call("t", "m/t/1"));
    }

    private static LlmCallCompleted call(String taskId, String callId) {
        return new LlmCallCompleted(callId, taskId, "worker", ChatResponse.ofText(callId, Usage.ZERO, "m"),
                Optional.of("hash of " + callId), AT);
    }

    private static MissionEvent toolDone(String taskId, String callId) {
        return new MissionEvent.ToolCallCompleted(callId, taskId, "read_file", new ToolResult("x", false), AT);
    }
}
