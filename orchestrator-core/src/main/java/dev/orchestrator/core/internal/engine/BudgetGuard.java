package dev.orchestrator.core.internal.engine;

import dev.orchestrator.api.Budget;
import dev.orchestrator.api.ModelPrice;
import dev.orchestrator.api.Usage;
import dev.orchestrator.core.llm.ModelPrices;
import java.math.BigDecimal;
import java.util.Map;
import java.util.Optional;

/**
 * Counts what the mission has spent against its budget. Tokens come from the state fold; dollars are priced here
 * per call, from the same journaled responses, so a resumed mission counts the same.
 */
final class BudgetGuard {

    private static final String RAISE = "; raise it with Mission.Builder.budget(...) and run the mission again on the "
            + "same journal to go on";
    private final Budget budget;
    private final ModelPrices prices;
    private BigDecimal dollars = BigDecimal.ZERO;

    /** A guard that prices calls by {@code prices}. */
    BudgetGuard(Budget budget, ModelPrices prices) {
        this.budget = budget;
        this.prices = prices;
    }

    /** The SDK's prices with {@code overrides} (the mission's own) put over them. */
    static ModelPrices prices(Map<String, ModelPrice> overrides) {
        ModelPrices table = ModelPrices.defaults();
        for (Map.Entry<String, ModelPrice> price : overrides.entrySet()) {
            table = table.with(price.getKey(), price.getValue());
        }
        return table;
    }

    /**
     * Adds one call's usage.
     *
     * @return why the mission must stop for lack of a price, if it must
     */
    synchronized Optional<String> add(String model, Usage usage) {
        if (budget.maxDollars().isEmpty() || usage.totalTokens() == 0) {
            return Optional.empty();
        }
        // providers answer with dated names (gpt-4o-mini-2024-07-18); the table finds those under the plain name
        ModelPrice price = prices.priceOf(model).orElse(null);
        if (price == null) {
            return Optional.of("a dollar budget is set but the price of model '" + model + "' is unknown: add "
                    + ".price(\"" + model + "\", ModelPrice.perMillionTokens(\"<input>\", \"<output>\")) to the "
                    + "mission, or use a token budget");
        }
        dollars = dollars.add(price.cost(usage));
        return Optional.empty();
    }

    /** {@return the dollars spent on the calls added so far} */
    synchronized BigDecimal dollars() {
        return dollars;
    }

    /** Why the budget is exhausted given {@code usage} in all, if it is. */
    synchronized Optional<String> exhausted(Usage usage) {
        if (usage.totalTokens() >= budget.maxTokens()) {
            return Optional.of("token budget of " + budget.maxTokens() + " reached (" + usage.totalTokens()
                    + " used)" + RAISE);
        }
        return budget.maxDollars().filter(max -> dollars.compareTo(max) >= 0)
                .map(max -> "dollar budget of $" + max.toPlainString() + " reached ($" + dollars.toPlainString()
                        + " spent)" + RAISE);
    }
}
