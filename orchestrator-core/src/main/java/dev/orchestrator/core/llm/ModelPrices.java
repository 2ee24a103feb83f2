package dev.orchestrator.core.llm;

import dev.orchestrator.api.ModelPrice;
import dev.orchestrator.api.Usage;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Dollar prices per model, to turn {@link Usage} into money for a dollar budget. {@link #defaults()} knows a few
 * current OpenAI and Anthropic models; prices change, so {@link #with} overrides or adds any of them.
 *
 * <p>Lookups accept the dated names that APIs answer with ({@code gpt-4o-mini-2024-07-18},
 * {@code claude-sonnet-4-20250514}) for the undated ones in the table. Instances are immutable.
 *
 * <pre>{@code
 * ModelPrices prices = ModelPrices.defaults().with("my-model", ModelPrice.perMillionTokens("0.20", "0.60"));
 * BigDecimal dollars = prices.cost(response.model(), response.usage()).orElseThrow();
 * }</pre>
 */
public final class ModelPrices {

    private static final ModelPrices DEFAULTS = new ModelPrices(defaultTable());

    private final Map<String, ModelPrice> prices;

    private ModelPrices(Map<String, ModelPrice> prices) {
        this.prices = Map.copyOf(prices);
    }

    /** The built-in prices (US dollars per million tokens, standard tier, as published when this was written). */
    public static ModelPrices defaults() {
        return DEFAULTS;
    }

    /** A table without any price. */
    public static ModelPrices empty() {
        return new ModelPrices(Map.of());
    }

    /** This table with {@code price} for {@code model}, replacing any price it had. */
    public ModelPrices with(String model, ModelPrice price) {
        Map<String, ModelPrice> copy = new LinkedHashMap<>(prices);
        copy.put(Objects.requireNonNull(model, "model"), Objects.requireNonNull(price, "price"));
        return new ModelPrices(copy);
    }

    /** The price of {@code model}, also under its name without a date suffix; empty when unknown. */
    public Optional<ModelPrice> priceOf(String model) {
        ModelPrice exact = prices.get(model);
        if (exact != null) {
            return Optional.of(exact);
        }
        // a date suffix ends in a digit; without one, no regex: the listeners' progress prices every call's usage,
        // and a fan-out's unpriced model (a scripted one) ran the matcher at each of its thousands of calls
        if (model.isEmpty() || !Character.isDigit(model.charAt(model.length() - 1))) {
            return Optional.empty();
        }
        return Optional.ofNullable(prices.get(DateSuffix.PATTERN.matcher(model).replaceFirst("")));
    }

    /**
     * Compiled at the first model without a price of its own: a fresh JVM that resumes a mission prices its usage,
     * and would otherwise load the regular expression engine for this alone.
     */
    private static final class DateSuffix {
        static final Pattern PATTERN = Pattern.compile("-(\\d{4}-\\d{2}-\\d{2}|\\d{8})$");
    }

    /** What {@code usage} cost on {@code model}, in dollars; empty when the model's price is unknown. */
    public Optional<BigDecimal> cost(String model, Usage usage) {
        return priceOf(model).map(price -> price.cost(usage));
    }

    /** Every price by model name, as {@code Mission.builder().price(...)} takes them. */
    public Map<String, ModelPrice> asMap() {
        return prices;
    }

    private static Map<String, ModelPrice> defaultTable() {
        Map<String, ModelPrice> table = new LinkedHashMap<>();
        // Anthropic: "Model pricing" table of https://platform.claude.com/docs/en/about-claude/pricing
        // (input, output, cache hits, 5-minute cache writes: the provider's breakpoints use the 5-minute default).
        table.put("claude-opus-4-5", price("5", "25", "0.50", "6.25"));
        table.put("claude-opus-4-1", price("15", "75", "1.50", "18.75"));
        table.put("claude-sonnet-4-5", price("3", "15", "0.30", "3.75"));
        table.put("claude-sonnet-4", price("3", "15", "0.30", "3.75"));
        table.put("claude-haiku-4-5", price("1", "5", "0.10", "1.25"));
        // OpenAI: input, output and cached input as listed for openai.com/api/pricing by GitHub's docs
        // (github/docs data/tables/copilot/models-and-pricing.yml, gpt-4.1) and the openai-models crate's table
        // (gpt-4o, gpt-4o-mini); OpenAI does not bill cache writes separately, so they cost as much as input.
        table.put("gpt-4.1", price("2.00", "8.00", "0.50", "2.00"));
        table.put("gpt-4o", price("2.50", "10.00", "1.25", "2.50"));
        table.put("gpt-4o-mini", price("0.15", "0.60", "0.075", "0.15"));
        return table;
    }

    private static ModelPrice price(String input, String output, String cacheRead, String cacheWrite) {
        return new ModelPrice(new BigDecimal(input), new BigDecimal(output), new BigDecimal(cacheRead),
                new BigDecimal(cacheWrite));
    }
}
