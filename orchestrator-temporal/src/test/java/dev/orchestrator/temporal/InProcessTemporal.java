package dev.orchestrator.temporal;

import dev.orchestrator.api.LlmProvider;
import io.temporal.client.WorkflowClient;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The SDK's in-process test service for each test (TestWorkflowService behind an in-process gRPC channel: no server,
 * no network), on real time rather than skipped time, since the activities run real agents and commands.
 */
final class InProcessTemporal implements BeforeEachCallback, AfterEachCallback {

    private TestWorkflowEnvironment temporal;

    @Override
    public void beforeEach(ExtensionContext context) {
        temporal = TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder().setUseTimeskipping(false)
                .build());
    }

    @Override
    public void afterEach(ExtensionContext context) {
        temporal.close();
    }

    TestWorkflowEnvironment environment() {
        return temporal;
    }

    WorkflowClient client() {
        return temporal.getWorkflowClient();
    }

    /** {@return a worker that serves missions with {@code provider}, their workspaces under {@code shared}} */
    MissionWorker worker(LlmProvider provider, Path shared) {
        return TemporalMissions.worker(client(), MissionWorkerOptions.builder()
                .missions(builder -> builder.provider(provider))
                .workspaces(WorkspaceSource.sharedDirectory(shared)).build());
    }

    /** {@return the runs of the mission's workflow, first to last, found from the last by the run each continued} */
    List<WorkflowExecutionHistory> runs(String missionId) {
        return runsOf(TemporalMissions.workflowId(missionId));
    }

    /** {@return the runs of workflow {@code workflowId}, first to last} */
    List<WorkflowExecutionHistory> runsOf(String workflowId) {
        List<WorkflowExecutionHistory> runs = new ArrayList<>();
        WorkflowExecutionHistory run = client().fetchHistory(workflowId);
        while (true) {
            runs.addFirst(run);
            String previous = run.getHistory().getEvents(0).getWorkflowExecutionStartedEventAttributes()
                    .getContinuedExecutionRunId();
            if (previous.isEmpty()) {
                return runs;
            }
            run = client().fetchHistory(workflowId, previous);
        }
    }
}
