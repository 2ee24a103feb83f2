package dev.orchestrator.api;

import java.math.BigDecimal;
import java.math.MathContext;

/**
 * What a model charges, in US dollars per million tokens of each kind, so that a dollar {@link Budget} can be
 * enforced.
 *
 * @param inputPerMillion uncached input
 * @param outputPerMillion output
 * @param cacheReadPerMillion input read from the prompt cache
 * @param cacheWritePerMillion input written to the prompt cache
 */
public record ModelPrice(BigDecimal inputPerMillion, BigDecimal outputPerMillion, BigDecimal cacheReadPerMillion,
        BigDecimal cacheWritePerMillion) {

    private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);

    /** Checks that every price is present and not negative. */
    public ModelPrice {
        for (BigDecimal price : new BigDecimal[] {inputPerMillion, outputPerMillion, cacheReadPerMillion,
                cacheWritePerMillion}) {
            if (price == null || price.signum() < 0) {
                throw new IllegalArgumentException("prices must be given and not negative, was " + price);
            }
        }
    }

    /**
     * {@return a price without prompt-cache discounts: cache reads and writes cost as much as input}
     *
     * @param input dollars per million input tokens
     * @param output dollars per million output tokens
     */
    public static ModelPrice perMillionTokens(String input, String output) {
        BigDecimal in = new BigDecimal(input);
        return new ModelPrice(in, new BigDecimal(output), in, in);
    }

    /**
     * {@return what {@code usage} costs at this price, in dollars}
     *
     * @param usage the tokens it used
     */
    public BigDecimal cost(Usage usage) {
        BigDecimal total = inputPerMillion.multiply(BigDecimal.valueOf(usage.inputTokens()))
                .add(outputPerMillion.multiply(BigDecimal.valueOf(usage.outputTokens())))
                .add(cacheReadPerMillion.multiply(BigDecimal.valueOf(usage.cacheReadTokens())))
                .add(cacheWritePerMillion.multiply(BigDecimal.valueOf(usage.cacheWriteTokens())));
        return total.divide(MILLION, MathContext.DECIMAL64);
    }
}
