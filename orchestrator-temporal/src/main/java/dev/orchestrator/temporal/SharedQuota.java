package dev.orchestrator.temporal;

import java.time.Duration;
import java.util.Objects;

/**
 * How workers share a provider's quota ({@link MissionWorkerOptions.Builder#sharedQuota}): each worker that has
 * calls waiting renews, every {@link #period()}, a lease of the quota from one small workflow per provider, model
 * and quota, which splits the quota the provider's rate-limit headers showed between the live leases in proportion
 * to the calls that want to go; the worker's pacer then sends at most its share. A worker that stops renewing loses
 * its share two periods on.
 *
 * @param name the quota's name: workers with the same name (and provider and model) share one; empty for the API
 *     key's id, so that workers with the same key share it
 * @param period how often a worker renews its lease: one update of the quota workflow per worker, provider and
 *     model each period
 */
public record SharedQuota(String name, Duration period) {

    /** The period unless one is given: one update a worker every 10 s. */
    public static final Duration DEFAULT_PERIOD = Duration.ofSeconds(10);

    /** Checks the name is letters, digits, '.', '_' or '-' (or empty) and the period is at least 100 ms. */
    public SharedQuota {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(period, "period");
        if (!name.matches("[A-Za-z0-9._-]*")) {
            throw new IllegalArgumentException("a shared quota's name must be letters, digits, '.', '_' and '-', was '"
                    + name + "'");
        }
        if (period.compareTo(Duration.ofMillis(100)) < 0) {
            throw new IllegalArgumentException("a shared quota's period must be at least 100 ms, was " + period);
        }
    }

    /**
     * {@return the quota of each API key, shared by the workers that use the same key, renewed every 10 s}
     */
    public static SharedQuota perKey() {
        return new SharedQuota("", DEFAULT_PERIOD);
    }

    /**
     * {@return a quota shared by the workers that give the same {@code name}, whatever key they use: the keys of one
     * organisation or project, which the provider counts together}
     *
     * @param name letters, digits, '.', '_' and '-'
     */
    public static SharedQuota named(String name) {
        if (name.isEmpty()) {
            throw new IllegalArgumentException("a shared quota's name must not be empty: use SharedQuota.perKey()");
        }
        return new SharedQuota(name, DEFAULT_PERIOD);
    }

    /**
     * {@return this quota renewed every {@code period}: shorter follows changes of demand sooner, for more updates}
     *
     * @param period at least 100 ms
     */
    public SharedQuota every(Duration period) {
        return new SharedQuota(name, period);
    }
}
