package dev.orchestrator.temporal.internal;

import dev.orchestrator.api.LlmProvider;
import dev.orchestrator.core.internal.limit.AimdLimiter;
import dev.orchestrator.core.internal.limit.LimiterKey;
import dev.orchestrator.core.internal.limit.LimiterRegistry;
import dev.orchestrator.core.internal.limit.PacedRates;
import dev.orchestrator.core.internal.limit.QuotaDemand;
import dev.orchestrator.temporal.SharedQuota;
import io.temporal.api.enums.v1.WorkflowIdConflictPolicy;
import io.temporal.client.UpdateOptions;
import io.temporal.client.WithStartWorkflowOperation;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowUpdateStage;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A worker's side of the shared quotas: for each limiter of the providers this worker's tasks use, it renews a lease
 * from the quota's workflow every period while calls want to go, and caps the limiter's pacer at the share it gets
 * (as soon as the first headers show the quota, too, rather than a period later). A renewal that fails keeps the
 * last share until its lease would have ended, then paces for the whole quota again. Closing it lifts the caps.
 */
public final class QuotaLeases implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(QuotaLeases.class.getName());
    /**
     * Which worker leases each limiter: the limiters are the JVM's, so two workers in one JVM (as in tests) that use
     * the same key share one limiter, and only the first of them leases for it (two would each ask for the whole
     * demand and cap the one limiter at their two shares in turn).
     */
    private static final Map<AimdLimiter, QuotaLeases> LEASED_BY = new ConcurrentHashMap<>();

    private final WorkflowClient client;
    private final SharedQuota quota;
    private final String holder;
    private final String taskQueue;
    private final LimiterRegistry limiters;
    private final ScheduledExecutorService timer;
    /** The providers (name and quota id) whose limiters this worker's tasks use. */
    private final Set<String> providers = ConcurrentHashMap.newKeySet();
    private final Map<LimiterKey, Renewal> renewals = new ConcurrentHashMap<>();

    /**
     * When a limiter's lease was last asked for (renewed or not), when it was last renewed, and whether the quota
     * was known then.
     */
    private record Renewal(long askedAtNanos, long renewedAtNanos, boolean quotaKnown) {
    }

    /**
     * @param client the Temporal client
     * @param quota how the quota is shared
     * @param holder this worker's name in the leases
     * @param taskQueue the queue of a quota workflow this worker starts
     * @param limiters the limiters of this JVM
     */
    public QuotaLeases(WorkflowClient client, SharedQuota quota, String holder, String taskQueue,
            LimiterRegistry limiters) {
        this.client = client;
        this.quota = quota;
        this.holder = holder;
        this.taskQueue = taskQueue;
        this.limiters = limiters;
        this.timer = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("quota-leases-" + holder).factory());
        // looks often, renews once a period: the first headers of a limiter are acted on within this
        long look = Math.min(quota.period().toMillis(), 1_000);
        timer.scheduleWithFixedDelay(this::renewDue, look, look, TimeUnit.MILLISECONDS);
    }

    /** Leases the quota of {@code provider}'s limiters from now on. */
    public void watch(LlmProvider provider) {
        provider.quotaId().ifPresent(id -> providers.add(provider.name() + "\n" + id));
    }

    private void renewDue() {
        long now = System.nanoTime();
        for (AimdLimiter limiter : limiters.limiters()) {
            LimiterKey key = limiter.key();
            if (!providers.contains(key.provider() + "\n" + key.keyId())
                    || LEASED_BY.computeIfAbsent(limiter, l -> this) != this) {
                continue;
            }
            Renewal last = renewals.get(key);
            if (last == null || now - last.askedAtNanos() >= quota.period().toNanos()
                    || known(limiter.quota()) && !last.quotaKnown()) {
                renew(limiter, last, now);
            }
        }
    }

    private void renew(AimdLimiter limiter, Renewal last, long now) {
        QuotaDemand demand = limiter.demand();
        boolean known = known(demand.quota());
        if (demand.callers() == 0 && last != null) {
            // nothing wanted to go: the lease lapses, and the share with it, until calls come again
            renewals.put(limiter.key(), new Renewal(now, last.renewedAtNanos(), known));
            return;
        }
        try {
            limiter.lease(lease(limiter.key(), new QuotaWorkflow.Ask(holder, demand, quota.period().toMillis())));
            renewals.put(limiter.key(), new Renewal(now, now, known));
        } catch (RuntimeException e) {
            // asked again a period on, not at every look: a service that is down gets one update a period
            long renewedAt = last != null ? last.renewedAtNanos() : now;
            renewals.put(limiter.key(), new Renewal(now, renewedAt, known));
            boolean ended = now - renewedAt >= 2 * quota.period().toNanos();
            LOG.log(System.Logger.Level.WARNING, "could not renew the lease of " + limiter.key() + "'s quota ("
                    + e.getMessage() + "): " + (ended ? "its lease has ended, so it paces for the whole quota"
                    : "pacing for its last share until the lease ends"));
            if (ended) {
                limiter.lease(PacedRates.UNKNOWN);
            }
        }
    }

    private static boolean known(PacedRates quota) {
        return quota.requestsPerMinute() > 0 || quota.tokensPerMinute() > 0;
    }

    /** Renews the lease by an update of the quota's workflow, which the update starts if it is not running. */
    private PacedRates lease(LimiterKey key, QuotaWorkflow.Ask ask) {
        QuotaWorkflow workflow = client.newWorkflowStub(QuotaWorkflow.class, WorkflowOptions.newBuilder()
                .setWorkflowId(workflowId(key))
                .setTaskQueue(taskQueue)
                .setWorkflowIdConflictPolicy(WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING)
                .build());
        return WorkflowClient.executeUpdateWithStart(workflow::lease, ask,
                UpdateOptions.<PacedRates>newBuilder().setWaitForStage(WorkflowUpdateStage.COMPLETED).build(),
                new WithStartWorkflowOperation<>(workflow::run, QuotaWorkflow.Book.EMPTY));
    }

    /** {@return the id of the workflow that holds the quota of {@code key}'s limiter} */
    String workflowId(LimiterKey key) {
        return quotaWorkflowId(key.provider(), key.model(), quota.name().isEmpty() ? key.keyId() : quota.name());
    }

    /** {@return the id of the quota workflow of {@code provider}'s {@code model} under quota {@code name}} */
    public static String quotaWorkflowId(String provider, String model, String name) {
        return "orchestrator-quota-" + provider + "-" + model + "-" + name;
    }

    /** Stops renewing and lifts the caps: this worker's limiters pace for the whole quota again. */
    @Override
    public void close() {
        timer.shutdownNow();
        try {
            // a renewal under way must not cap a limiter after the cap was lifted
            timer.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (AimdLimiter limiter : limiters.limiters()) {
            if (LEASED_BY.remove(limiter, this)) {
                limiter.lease(PacedRates.UNKNOWN);
            }
        }
    }
}
