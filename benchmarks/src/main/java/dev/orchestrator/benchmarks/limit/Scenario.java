package dev.orchestrator.benchmarks.limit;

import java.util.List;
import java.util.OptionalLong;

/**
 * One situation to simulate.
 *
 * @param name a short name for the table
 * @param seconds how long it runs
 * @param measureFrom goodput and shares are measured from here ...
 * @param measureTo ... to here
 * @param rpm the provider's requests per minute
 * @param tpm the provider's tokens per minute
 * @param burstSeconds how many seconds of quota the buckets hold
 * @param rejectionsCount whether a refused request still uses a request of the quota
 * @param fixedRetryAfter a retry-after every 429 carries instead of the real wait, if set (seconds)
 * @param capacity the provider's capacity over time, as a factor of rpm and tpm
 * @param agents the agents making calls over time, per client
 * @param clients independent clients (own limiter, own retries) sharing the provider's one quota
 * @param stormFrom a 529 storm answers every call from here ...
 * @param stormTo ... to here (equal to stormFrom for none)
 * @param otherShare the share of the quota another process on the same key uses all the time (0 for none); the
 *     headers still report the key's whole limit
 */
record Scenario(String name, double seconds, double measureFrom, double measureTo, double rpm, double tpm,
        double burstSeconds, boolean rejectionsCount, OptionalLong fixedRetryAfter, List<Step> capacity,
        List<Step> agents, int clients, double stormFrom, double stormTo, double otherShare) {

    /** From {@code at} seconds on, the value is {@code value}. */
    record Step(double at, double value) {
    }

    Scenario {
        capacity = List.copyOf(capacity);
        agents = List.copyOf(agents);
    }

    /** The capacity factor at {@code seconds}. */
    double capacityAt(double seconds) {
        return valueAt(capacity, seconds);
    }

    /** The agents per client at {@code seconds}. */
    int agentsAt(double seconds) {
        return (int) valueAt(agents, seconds);
    }

    boolean stormAt(double seconds) {
        return seconds >= stormFrom && seconds < stormTo;
    }

    private static double valueAt(List<Step> steps, double seconds) {
        double value = steps.getFirst().value();
        for (Step step : steps) {
            if (step.at() <= seconds) {
                value = step.value();
            }
        }
        return value;
    }

    Scenario withName(String newName) {
        return new Scenario(newName, seconds, measureFrom, measureTo, rpm, tpm, burstSeconds, rejectionsCount,
                fixedRetryAfter, capacity, agents, clients, stormFrom, stormTo, otherShare);
    }

    Scenario withRejectionsCounting() {
        return new Scenario(name, seconds, measureFrom, measureTo, rpm, tpm, burstSeconds, true, fixedRetryAfter,
                capacity, agents, clients, stormFrom, stormTo, otherShare);
    }

    Scenario withRetryAfter(long retryAfterSeconds) {
        return new Scenario(name, seconds, measureFrom, measureTo, rpm, tpm, burstSeconds, rejectionsCount,
                OptionalLong.of(retryAfterSeconds), capacity, agents, clients, stormFrom, stormTo, otherShare);
    }
}
