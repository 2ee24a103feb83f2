package dev.orchestrator.temporal;

import dev.orchestrator.temporal.internal.MissionWorkflowImpl;
import dev.orchestrator.temporal.internal.Wire;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;
import org.junit.jupiter.api.Test;

class HistoryReplayTest {

    /**
     * The history of a four-todo mission recorded before missions had hosts (every task on the shared queue): a
     * change to the workflow that would break missions running on a cluster during an upgrade fails here.
     */
    @Test
    void aMissionRecordedBeforeThereWereHostsReplaysWithoutANonDeterminismError() throws Exception {
        replay("histories/four-todos.json");
    }

    /**
     * The history of a four-todo mission recorded by the version that gave missions hosts
     * ({@code -Dorchestrator.keepHistory=<file>} on {@link TemporalMissionTest}): the host is asked for, and the
     * tasks go to its queue.
     */
    @Test
    void aMissionWithAHostReplaysWithoutANonDeterminismError() throws Exception {
        replay("histories/four-todos-hosted.json");
    }

    /**
     * The first run of a four-todo mission that continues as new every 10 history events, recorded by the version
     * that carries the mission's terms but had no hosts ({@code -Dorchestrator.keepHistory=<file>} on
     * {@link LongMissionTest}): its version marker, the tasks' orders with their budgets and notes, and the
     * continue-as-new with the checkpoint.
     */
    @Test
    void aRecordedRunThatContinuesAsNewReplaysWithoutANonDeterminismError() throws Exception {
        replay("histories/four-todos-continued.json");
    }

    /**
     * The second run of a twelve-todo mission with a git workspace that continues as new every 10 history events,
     * recorded by the version with both changes ({@code -Dorchestrator.keepHistory=<file>} on
     * {@link GitWorkspaceMissionTest}): both version markers, the host carried from the run before (its tasks go
     * straight to the host's queue), and the continue-as-new that carries the host and revision on.
     */
    @Test
    void aContinuedRunOnACarriedHostReplaysWithoutANonDeterminismError() throws Exception {
        replay("histories/twelve-todos-hosted-continued.json");
    }

    /**
     * A twelve-todo mission cancelled while t8 held its second call, recorded by the version that records what the
     * tasks under way at the end did ({@code -Dorchestrator.keepHistory=<file>} on {@link TemporalMissionTest}'s
     * cancelled mission): its version marker, the cancel that waits for t8 to report, and t8's calls recorded.
     */
    @Test
    void aMissionCancelledWithATaskUnderWayReplaysWithoutANonDeterminismError() throws Exception {
        replay("histories/twelve-todos-cancelled.json");
    }

    /**
     * A four-todo mission whose t2 kept failing for a passing reason until it gave up after 7 tries, recorded by the
     * version that bounds a task's failures in a row by the call patience ({@code -Dorchestrator.keepHistory=<file>}
     * on {@link ProviderDownTest}'s mission that gives up, run alone): its version marker, the backoff timers on
     * workflow time and the mission's end.
     */
    @Test
    void aMissionWhoseTaskGaveUpReplaysWithoutANonDeterminismError() throws Exception {
        replay("histories/four-todos-gave-up.json");
    }

    private static void replay(String history) throws Exception {
        Wire.warmUp(); // as a worker does
        // the in-process test service; the replay runs on a worker with the mission workers' settings
        try (TestWorkflowEnvironment temporal = TestWorkflowEnvironment.newInstance()) {
            Worker worker = temporal.newWorker("replay", MissionWorker.workerOptions(1));
            worker.registerWorkflowImplementationTypes(MissionWorkflowImpl.class);
            WorkflowReplayer.replayWorkflowExecutionFromResource(history, worker);
        }
    }
}
