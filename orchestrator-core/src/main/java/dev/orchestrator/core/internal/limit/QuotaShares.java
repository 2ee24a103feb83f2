package dev.orchestrator.core.internal.limit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.ToDoubleFunction;

/**
 * The shares of one provider key's quota among the processes that use it: each process renews its lease every
 * period, saying how many calls want to go ({@link QuotaDemand}); the quota the headers showed (the latest any
 * process reported) is split between the live leases in proportion to those numbers. A process that stops renewing
 * loses its share when its lease ends, two periods after it was last renewed.
 *
 * <p>A lease never hands out what another live lease still holds: a share that grew waits for the others to renew
 * at their smaller shares (within a period), so the leases together stay within the quota while the split moves;
 * only a newcomer that finds everything taken gets a tenth of its fair share at once (and the renewals after it
 * bring the whole back within the quota). Deterministic (time is
 * passed in), so that a Temporal workflow can hold it; not thread-safe.
 */
public final class QuotaShares {

    /** A newcomer that finds the quota all leased gets this part of its fair share until the others renew. */
    private static final double NEWCOMER_PART = 0.1;
    /** A process that reports no caller still counts as this many, so that it gets a little to begin with. */
    private static final double LEAST_CALLERS = 0.1;
    /**
     * The least share of a process that renews while the others hold everything (after newcomers took their
     * tenths): a share of 0 would mean no cap at all.
     */
    private static final double LEAST_PART = 0.001;

    private final Map<String, Lease> leases = new LinkedHashMap<>();
    private PacedRates quota;

    /** No quota known and no lease. */
    public QuotaShares() {
        this(PacedRates.UNKNOWN, List.of());
    }

    /** Goes on from {@link #quota()} and {@link #leases()} (a workflow that continues as new carries them). */
    public QuotaShares(PacedRates quota, List<Lease> leases) {
        this.quota = Objects.requireNonNull(quota, "quota");
        leases.forEach(lease -> this.leases.put(lease.holder(), lease));
    }

    /**
     * One process's lease.
     *
     * @param holder the process
     * @param callers the calls it last said want to go
     * @param share its share per minute (0 for a bucket whose quota is not known: not capped)
     * @param endsAtMillis when the share is free again unless renewed
     */
    public record Lease(String holder, double callers, PacedRates share, long endsAtMillis) {

        /** Checks every part is present. */
        public Lease {
            Objects.requireNonNull(holder, "holder");
            Objects.requireNonNull(share, "share");
        }
    }

    /**
     * Renews (or grants) {@code holder}'s lease for {@code periodMillis} from {@code nowMillis}.
     *
     * @return its share per minute of each bucket, 0 where no process has seen the quota yet
     */
    public PacedRates renew(String holder, QuotaDemand demand, long nowMillis, long periodMillis) {
        leases.values().removeIf(lease -> lease.endsAtMillis() <= nowMillis && !lease.holder().equals(holder));
        quota = new PacedRates(demand.quota().requestsPerMinute() > 0 ? demand.quota().requestsPerMinute()
                : quota.requestsPerMinute(), demand.quota().tokensPerMinute() > 0 ? demand.quota().tokensPerMinute()
                : quota.tokensPerMinute());
        double callers = Math.max(LEAST_CALLERS, demand.callers());
        double all = callers;
        for (Lease lease : leases.values()) {
            if (!lease.holder().equals(holder)) {
                all += Math.max(LEAST_CALLERS, lease.callers());
            }
        }
        double fair = callers / all;
        double least = leases.containsKey(holder) ? LEAST_PART : NEWCOMER_PART * fair;
        PacedRates share = new PacedRates(
                share(quota.requestsPerMinute(), fair, least, holder, PacedRates::requestsPerMinute),
                share(quota.tokensPerMinute(), fair, least, holder, PacedRates::tokensPerMinute));
        leases.put(holder, new Lease(holder, demand.callers(), share, nowMillis + 2 * periodMillis));
        return share;
    }

    private double share(double whole, double fair, double least, String holder, ToDoubleFunction<PacedRates> of) {
        if (whole <= 0) {
            return 0;
        }
        double held = 0;
        for (Lease lease : leases.values()) {
            if (!lease.holder().equals(holder)) {
                held += of.applyAsDouble(lease.share());
            }
        }
        return Math.max(least * whole, Math.min(fair * whole, whole - held));
    }

    /** {@return the quota as last reported, 0 for a bucket none reported} */
    public PacedRates quota() {
        return quota;
    }

    /** {@return the leases, live or ended but not yet dropped, in the order they were first granted} */
    public List<Lease> leases() {
        return new ArrayList<>(leases.values());
    }
}
