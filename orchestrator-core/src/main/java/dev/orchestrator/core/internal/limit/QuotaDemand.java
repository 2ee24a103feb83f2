package dev.orchestrator.core.internal.limit;

import java.util.Objects;

/**
 * What one process asks of a quota it shares with others, when it renews its lease (see
 * {@link AimdLimiter#demand()}).
 *
 * @param callers the mean number of calls in flight or waiting for the key over the span asked about: in a fleet of
 *     agents that call, think and call again, the calls that want to go, which the lease splits the quota by
 * @param quota the key's whole limits per minute as the provider's headers showed them, 0 where they said nothing
 */
public record QuotaDemand(double callers, PacedRates quota) {

    /** Checks the count is not negative. */
    public QuotaDemand {
        if (!(callers >= 0)) {
            throw new IllegalArgumentException("callers must be at least 0, was " + callers);
        }
        Objects.requireNonNull(quota, "quota");
    }
}
