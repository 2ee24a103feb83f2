package dev.orchestrator.core.internal.engine;

import dev.orchestrator.api.Budget;
import dev.orchestrator.api.ModelPrice;
import dev.orchestrator.api.Usage;
import java.math.BigDecimal;
import java.util.Map;
import java.util.Optional;

/**
 * Counts what the mission has spent against its budget. Tokens come from the state fold; dollars are priced here
 * per call, from the same journaled responses, so a resumed mission counts the same.
 */
final class BudgetGuard {

    private final Budget budget;
    private final Map<String, ModelPrice> prices;
    private BigDecimal dollars = BigDecimal.ZERO;

    BudgetGuard(Budget budget, Map<String, ModelPrice> prices) {
        this.budget = budget;
        this.prices = Map.copyOf(prices);
    }

    /**
     * Adds one call's usage.
     *
     * @return why the mission must stop for lack of a price, if it must
     */
    synchronized Optional<String> add(String model, Usage usage) {
        if (budget.maxDollars().isEmpty()) {
            return Optional.empty();
        }
        ModelPrice price = prices.get(model);
        if (price == null) {
            return Optional.of("a dollar budget is set but the price of model '" + model + "' is unknown: add "
                    + ".price(\"" + model + "\", ModelPrice.perMillionTokens(\"<input>\", \"<output>\")) to the "
                    + "mission, or use a token budget");
        }
        dollars = dollars.add(price.cost(usage));
        return Optional.empty();
    }

    /** Why the budget is exhausted given {@code usage} in all, if it is. */
    synchronized Optional<String> exhausted(Usage usage) {
        if (usage.totalTokens() >= budget.maxTokens()) {
            return Optional.of("token budget of " + budget.maxTokens() + " reached (" + usage.totalTokens()
                    + " used)");
        }
        return budget.maxDollars().filter(max -> dollars.compareTo(max) >= 0)
                .map(max -> "dollar budget of $" + max.toPlainString() + " reached ($" + dollars.toPlainString()
                        + " spent)");
    }
}
