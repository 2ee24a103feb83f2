package dev.orchestrator.core.internal.limit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The split of a shared quota between the leases of the processes that use it. */
class QuotaSharesTest {

    private static final long PERIOD = 10_000;
    private static final PacedRates QUOTA = new PacedRates(60, 40_000);

    @Test
    void theQuotaIsSplitInProportionToTheCallsThatWantToGo() {
        QuotaShares shares = new QuotaShares();
        shares.renew("a", new QuotaDemand(3, QUOTA), 0, PERIOD);
        shares.renew("b", new QuotaDemand(1, QUOTA), 0, PERIOD);
        // a's first lease was the whole quota (it was alone); once renewed, the split is 3 : 1
        assertEquals(new PacedRates(45, 30_000), shares.renew("a", new QuotaDemand(3, QUOTA), 10_000, PERIOD));
        assertEquals(new PacedRates(15, 10_000), shares.renew("b", new QuotaDemand(1, QUOTA), 10_000, PERIOD));
    }

    @Test
    void aNewcomerGetsATenthOfItsFairShareUntilTheOthersRenewAtTheirSmallerShares() {
        QuotaShares shares = new QuotaShares();
        shares.renew("a", new QuotaDemand(4, QUOTA), 0, PERIOD);
        assertEquals(3, shares.renew("b", new QuotaDemand(4, QUOTA), 1_000, PERIOD).requestsPerMinute(), 1e-9);
        assertEquals(30, shares.renew("a", new QuotaDemand(4, QUOTA), 10_000, PERIOD).requestsPerMinute(), 1e-9);
        assertEquals(30, shares.renew("b", new QuotaDemand(4, QUOTA), 11_000, PERIOD).requestsPerMinute(), 1e-9);
    }

    @Test
    void aProcessThatStopsRenewingLosesItsShareTwoPeriodsOn() {
        QuotaShares shares = new QuotaShares();
        shares.renew("a", new QuotaDemand(1, QUOTA), 0, PERIOD);
        shares.renew("b", new QuotaDemand(1, QUOTA), 0, PERIOD);
        shares.renew("a", new QuotaDemand(1, QUOTA), 10_000, PERIOD);
        shares.renew("b", new QuotaDemand(1, QUOTA), 10_000, PERIOD);
        assertEquals(30, shares.renew("a", new QuotaDemand(1, QUOTA), 20_000, PERIOD).requestsPerMinute(), 1e-9);
        // b last renewed at 10 s: its lease ends at 30 s
        assertEquals(60, shares.renew("a", new QuotaDemand(1, QUOTA), 30_000, PERIOD).requestsPerMinute(), 1e-9);
        assertEquals(List.of("a"), shares.leases().stream().map(QuotaShares.Lease::holder).toList());
    }

    @Test
    void noBucketIsCappedWhileNoProcessHasSeenItsQuota() {
        QuotaShares shares = new QuotaShares();
        assertEquals(PacedRates.UNKNOWN, shares.renew("a", new QuotaDemand(5, PacedRates.UNKNOWN), 0, PERIOD));
        // b saw the headers: the quota is known from then on, to every process
        shares.renew("b", new QuotaDemand(5, QUOTA), 0, PERIOD);
        assertEquals(QUOTA, shares.quota());
    }

    @Test
    void aRoundOfRenewalsWithNoNewcomerLeavesTheLeasesWithinTheQuota() {
        qt().forAll(lists().of(integers().between(0, 20)).ofSizeBetween(2, 30)).checkAssert(demands -> {
            QuotaShares shares = new QuotaShares();
            long now = 0;
            // the first round is of newcomers, whose tenths may go over; demands change every round
            for (int round = 0; round < 2; round++) {
                for (int i = 0; i < demands.size(); i++) {
                    shares.renew("p" + i, new QuotaDemand((demands.get(i) + round) % 7, QUOTA), now, PERIOD);
                    now += PERIOD / demands.size();
                }
            }
            double held = shares.leases().stream().mapToDouble(lease -> lease.share().requestsPerMinute()).sum();
            // a process that renews while the others still hold everything keeps a thousandth
            double least = 0.001 * QUOTA.requestsPerMinute() * demands.size();
            assertTrue(held <= QUOTA.requestsPerMinute() + least + 1e-6, "held " + held);
        });
    }
}
