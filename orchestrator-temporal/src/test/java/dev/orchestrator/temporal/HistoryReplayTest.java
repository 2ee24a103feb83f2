package dev.orchestrator.temporal;

import dev.orchestrator.temporal.internal.MissionWorkflowImpl;
import dev.orchestrator.temporal.internal.Wire;
import io.temporal.testing.WorkflowReplayer;
import org.junit.jupiter.api.Test;

class HistoryReplayTest {

    /**
     * The history of a four-todo mission recorded by this version ({@code -Dorchestrator.keepHistory=<file>} on
     * {@link TemporalMissionTest}): a change to the workflow that would break missions running on a cluster
     * during an upgrade fails here.
     */
    @Test
    void aRecordedMissionReplaysWithoutANonDeterminismError() throws Exception {
        Wire.warmUp(); // as a worker does: the first workflow task must not spend its second loading Jackson
        WorkflowReplayer.replayWorkflowExecutionFromResource("histories/four-todos.json", MissionWorkflowImpl.class);
    }
}
