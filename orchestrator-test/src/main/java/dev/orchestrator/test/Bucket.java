package dev.orchestrator.test;

import java.time.Duration;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * A provider's quota as a bucket on the server's clock: it refills {@code ratePerSecond} units a second (requests or
 * tokens) and holds at most {@code burst}.
 */
final class Bucket {

    private final double ratePerSecond;
    private final double burst;
    private final LongSupplier nanoClock;
    private double units;
    private long refilledAt;

    Bucket(double ratePerSecond, double burst, LongSupplier nanoClock) {
        if (!(ratePerSecond > 0) || !(burst >= 1)) {
            throw new IllegalArgumentException("a bucket needs a rate above 0 and a burst of at least 1, was "
                    + ratePerSecond + " and " + burst);
        }
        this.ratePerSecond = ratePerSecond;
        this.burst = burst;
        this.nanoClock = nanoClock;
        this.units = burst;
        this.refilledAt = nanoClock.getAsLong();
    }

    /**
     * Takes {@code amount} units (at most a full bucket, so that a large request is not refused for ever); if there
     * are not enough, takes nothing and says how long until there are.
     */
    synchronized Optional<Duration> take(double amount) {
        double needed = Math.min(amount, burst);
        long now = nanoClock.getAsLong();
        units = Math.min(burst, units + (now - refilledAt) / 1e9 * ratePerSecond);
        refilledAt = now;
        if (units < needed) {
            return Optional.of(Duration.ofNanos((long) Math.ceil((needed - units) / ratePerSecond * 1e9)));
        }
        units -= needed;
        return Optional.empty();
    }
}
