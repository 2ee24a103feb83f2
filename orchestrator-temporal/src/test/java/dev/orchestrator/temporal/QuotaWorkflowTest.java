package dev.orchestrator.temporal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.core.internal.limit.PacedRates;
import dev.orchestrator.core.internal.limit.QuotaDemand;
import dev.orchestrator.core.internal.limit.QuotaShares;
import dev.orchestrator.temporal.internal.QuotaWorkflow;
import dev.orchestrator.temporal.internal.QuotaWorkflowImpl;
import io.temporal.api.enums.v1.WorkflowIdConflictPolicy;
import io.temporal.client.UpdateOptions;
import io.temporal.client.WithStartWorkflowOperation;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowUpdateStage;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The quota's workflow: started by the first renewal, continued as new with its leases, deterministic. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class QuotaWorkflowTest {

    private static final String ID = "orchestrator-quota-test";
    private static final PacedRates QUOTA = new PacedRates(600, 0);

    @RegisterExtension
    final InProcessTemporal temporal = new InProcessTemporal();

    @Test
    void renewalsStartTheWorkflowWhichContinuesAsNewWithItsLeasesAndReplays() throws Exception {
        Worker worker = temporal.environment().newWorker("quotas");
        worker.registerWorkflowImplementationTypes(QuotaWorkflowImpl.class);
        temporal.environment().start();
        PacedRates last = PacedRates.UNKNOWN;
        // past the renewals after which a run continues as new; two workers, the second asking for twice as much
        for (int i = 0; i < 260; i++) {
            renew("a", 1);
            last = renew("b", 2);
        }
        assertEquals(400, last.requestsPerMinute(), 1e-6, "two thirds of the quota: " + last);
        List<WorkflowExecutionHistory> runs = temporal.runsOf(ID);
        assertTrue(runs.size() >= 2, "the workflow continued as new: " + runs.size() + " run(s)");
        QuotaWorkflow workflow = temporal.client().newWorkflowStub(QuotaWorkflow.class, ID);
        assertEquals(List.of("a", "b"), workflow.leases().stream().map(QuotaShares.Lease::holder).toList(),
                "the new run holds the leases of the old");
        for (WorkflowExecutionHistory run : runs) {
            // throws on a non-deterministic step
            WorkflowReplayer.replayWorkflowExecution(run, QuotaWorkflowImpl.class);
        }
    }

    private PacedRates renew(String holder, double callers) {
        QuotaWorkflow workflow = temporal.client().newWorkflowStub(QuotaWorkflow.class, WorkflowOptions.newBuilder()
                .setWorkflowId(ID).setTaskQueue("quotas")
                .setWorkflowIdConflictPolicy(WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING)
                .build());
        return WorkflowClient.executeUpdateWithStart(workflow::lease,
                new QuotaWorkflow.Ask(holder, new QuotaDemand(callers, QUOTA), 60_000),
                UpdateOptions.<PacedRates>newBuilder().setWaitForStage(WorkflowUpdateStage.COMPLETED).build(),
                new WithStartWorkflowOperation<>(workflow::run, QuotaWorkflow.Book.EMPTY));
    }
}
