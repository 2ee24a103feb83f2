package dev.orchestrator.api;

import java.math.BigDecimal;
import java.util.Optional;

/**
 * How much a mission may spend. A mission that reaches its budget stops with
 * {@link MissionResult.Outcome#BUDGET_EXHAUSTED}; the LLM call that crossed the line is the last one made.
 *
 * <p>A dollar limit needs the price of every model the mission uses: the engine knows some current models' prices,
 * and {@link Mission.Builder#price} adds or overrides one; a call to a model without a known price ends the mission
 * rather than spend money that cannot be counted.
 *
 * @param maxTokens the most tokens (all four kinds of {@link Usage} together), or {@link Long#MAX_VALUE}
 * @param maxDollars the most dollars, if limited
 */
public record Budget(long maxTokens, Optional<BigDecimal> maxDollars) {

    /** No limit at all. */
    public static final Budget UNLIMITED = new Budget(Long.MAX_VALUE, Optional.empty());

    /** Checks the limits are positive. */
    public Budget {
        if (maxTokens <= 0) {
            throw new IllegalArgumentException("maxTokens must be positive, was " + maxTokens);
        }
        maxDollars.ifPresent(d -> {
            if (d.signum() <= 0) {
                throw new IllegalArgumentException("maxDollars must be positive, was " + d);
            }
        });
    }

    /**
     * {@return at most {@code maxTokens} tokens}
     *
     * @param maxTokens the most tokens the mission may use
     */
    public static Budget ofTokens(long maxTokens) {
        return new Budget(maxTokens, Optional.empty());
    }

    /**
     * {@return at most {@code maxDollars} US dollars, e.g. {@code ofDollars("2.50")}}
     *
     * @param maxDollars the most dollars, as a decimal such as "5.00"
     */
    public static Budget ofDollars(String maxDollars) {
        return new Budget(Long.MAX_VALUE, Optional.of(new BigDecimal(maxDollars)));
    }

    /**
     * {@return this budget with a token limit as well}
     *
     * @param tokens the tokens
     */
    public Budget andTokens(long tokens) {
        return new Budget(tokens, maxDollars);
    }
}
