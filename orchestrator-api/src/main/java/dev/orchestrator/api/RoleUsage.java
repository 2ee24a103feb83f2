package dev.orchestrator.api;

import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the model calls of one role (the Commander's, the Workers', a custom agent's) used in a mission: how many
 * calls, their tokens of each kind (uncached input, cache reads, cache writes, output) and their dollars.
 *
 * @param role the agents' role, as {@link Agent#role()} names it
 * @param calls the number of model calls the provider answered (calls answered from the journal on a resume are
 *     counted once, in the run that paid for them)
 * @param usage their tokens in all
 * @param dollars what they cost at the mission's prices; empty when a model that answered one of them has no known
 *     price (add it with {@code Mission.Builder.price})
 */
public record RoleUsage(String role, long calls, Usage usage, Optional<BigDecimal> dollars) {

    /** Checks the fields are present and the count is not negative. */
    public RoleUsage {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(usage, "usage");
        Objects.requireNonNull(dollars, "dollars");
        if (calls < 0) {
            throw new IllegalArgumentException("calls must not be negative, was " + calls);
        }
    }

    /** The usage of {@code role} among {@code roles}, if it is there. */
    static Optional<RoleUsage> of(List<RoleUsage> roles, String role) {
        return roles.stream().filter(u -> u.role().equals(role)).findFirst();
    }

    /**
     * {@return this role's usage and {@code other}'s together; the dollars are known only when both are}
     *
     * @param other more calls of the same role
     * @throws IllegalArgumentException if {@code other} is another role's
     */
    public RoleUsage plus(RoleUsage other) {
        if (!role.equals(other.role)) {
            throw new IllegalArgumentException("cannot add role '" + other.role + "' to role '" + role
                    + "': sum usage per role");
        }
        Optional<BigDecimal> sum = dollars.isPresent() && other.dollars.isPresent()
                ? Optional.of(dollars.get().add(other.dollars.get())) : Optional.empty();
        return new RoleUsage(role, calls + other.calls, usage.plus(other.usage), sum);
    }
}
