package dev.orchestrator.temporal.internal;

import dev.orchestrator.core.internal.limit.PacedRates;
import dev.orchestrator.core.internal.limit.QuotaShares;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInit;
import java.time.Duration;
import java.util.List;

/**
 * The shared quota's workflow: each update renews one lease at workflow time, so a replay hands out the same
 * shares. Every {@value #CONTINUE_AFTER} renewals (about five history events each) it continues as new with the
 * book; after an hour without a renewal it ends, and the next renewal starts it again.
 */
public final class QuotaWorkflowImpl implements QuotaWorkflow {

    /** Renewals a run takes before it continues as new: its history stays a few thousand events long. */
    static final int CONTINUE_AFTER = 500;
    private static final Duration IDLE = Duration.ofHours(1);

    private final QuotaShares shares;
    private int renewals;

    /** Begins from {@code book}: before the run method, since the update that started the workflow may come first. */
    @WorkflowInit
    public QuotaWorkflowImpl(Book book) {
        shares = new QuotaShares(book.quota(), book.leases());
    }

    @Override
    public void run(Book book) {
        while (true) {
            int before = renewals;
            boolean full = Workflow.await(IDLE, () -> renewals >= CONTINUE_AFTER
                    || Workflow.getInfo().isContinueAsNewSuggested());
            if (full) {
                // renewals under way finish in this run, so that none is lost between the two
                Workflow.await(Workflow::isEveryHandlerFinished);
                Workflow.continueAsNew(new Book(shares.quota(), shares.leases()));
            }
            if (renewals == before) {
                return;
            }
        }
    }

    @Override
    public PacedRates lease(Ask ask) {
        renewals++;
        return shares.renew(ask.holder(), ask.demand(), Workflow.currentTimeMillis(), ask.periodMillis());
    }

    @Override
    public List<QuotaShares.Lease> leases() {
        return shares.leases();
    }
}
