package dev.orchestrator.core.internal.engine;

import dev.orchestrator.api.RoleUsage;
import dev.orchestrator.core.llm.ModelPrices;
import java.util.List;

/**
 * The usage of each role at the mission's prices, as the result reports it, for the progress every listener gets
 * with every event. Priced once per change of the ledger, which only a model call changes: most events (a fan-out's
 * thousands of dispatches) reuse the last list.
 */
final class RoleUsages {

    private final ModelPrices prices;
    private UsageLedger priced;
    private List<RoleUsage> byRole = List.of();

    RoleUsages(ModelPrices prices) {
        this.prices = prices;
    }

    /** Each role's calls, tokens and dollars in {@code ledger}. */
    synchronized List<RoleUsage> of(UsageLedger ledger) {
        if (ledger != priced) {
            byRole = ledger.byRole(prices);
            priced = ledger;
        }
        return byRole;
    }
}
