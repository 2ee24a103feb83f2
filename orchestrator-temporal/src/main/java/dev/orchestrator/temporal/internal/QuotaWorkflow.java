package dev.orchestrator.temporal.internal;

import dev.orchestrator.core.internal.limit.PacedRates;
import dev.orchestrator.core.internal.limit.QuotaDemand;
import dev.orchestrator.core.internal.limit.QuotaShares;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.UpdateMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.util.List;

/**
 * One provider quota shared by the workers: it holds the leases ({@link QuotaShares}) and hands each worker its
 * share when it renews. Started by the first worker's renewal (update-with-start), it lives while workers renew.
 */
@WorkflowInterface
public interface QuotaWorkflow {

    /** Holds the leases until none was renewed for a while, continuing as new before its history grows long. */
    @WorkflowMethod
    void run(Book book);

    /** {@return {@code ask}'s worker's share per minute for the next period, 0 for a bucket not known yet} */
    @UpdateMethod
    PacedRates lease(Ask ask);

    /** {@return the leases now, live or ended but not yet dropped} */
    @QueryMethod
    List<QuotaShares.Lease> leases();

    /**
     * A worker's renewal.
     *
     * @param holder the worker (its host name)
     * @param demand the calls that wanted to go since its last renewal, and the quota its headers showed
     * @param periodMillis how long until it renews again
     */
    record Ask(String holder, QuotaDemand demand, long periodMillis) {
    }

    /**
     * What a run carries to the next: the quota and the leases.
     *
     * @param quota the quota as last reported
     * @param leases the leases
     */
    record Book(PacedRates quota, List<QuotaShares.Lease> leases) {

        /** Nothing known yet. */
        public static final Book EMPTY = new Book(PacedRates.UNKNOWN, List.of());

        /** Copies the leases. */
        public Book {
            leases = List.copyOf(leases);
        }
    }
}
