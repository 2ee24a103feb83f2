package dev.orchestrator.benchmarks.limit;

import java.util.List;
import java.util.OptionalLong;

/**
 * The scenarios of issue 5. The provider: 120 requests and 300,000 tokens per minute (the tokens bind: about 101
 * calls of average size a minute), buckets holding 10 s of quota; calls average about 3,000 tokens and 8.7 s.
 */
final class Scenarios {

    private static final double RPM = 120;
    private static final double TPM = 300_000;
    private static final double BURST_SECONDS = 10;
    private static final List<Scenario.Step> FULL_CAPACITY = List.of(new Scenario.Step(0, 1));

    private Scenarios() {
    }

    /** S1: 48 agents, about three times what the provider serves, for 10 minutes. */
    static Scenario steady() {
        return new Scenario("S1 steady overload", 600, 60, 600, RPM, TPM, BURST_SECONDS, false,
                OptionalLong.empty(), FULL_CAPACITY, List.of(new Scenario.Step(0, 48)), 1, 0, 0, 0);
    }

    /**
     * The same with 80 requests a minute, so that requests bind instead of tokens: the quota headers then say
     * when the next request will fit, while a nearly empty token bucket depends on the size of the next call.
     */
    static Scenario requestsBind(Scenario scenario) {
        return new Scenario(scenario.name(), scenario.seconds(), scenario.measureFrom(), scenario.measureTo(), 80,
                scenario.tpm(), scenario.burstSeconds(), scenario.rejectionsCount(), scenario.fixedRetryAfter(),
                scenario.capacity(), scenario.agents(), scenario.clients(), scenario.stormFrom(), scenario.stormTo(),
                scenario.otherShare());
    }

    /**
     * Issue 8: per-minute quotas as the providers publish them, with buckets that hold a whole minute, the limits in
     * the headers, and agents well beyond what the quota serves.
     */
    static Scenario quota(String name, double rpm, double tpm, int agents, double otherShare) {
        return new Scenario(name, 900, 120, 900, rpm, tpm, 60, false, OptionalLong.empty(), FULL_CAPACITY,
                List.of(new Scenario.Step(0, agents)), 1, 0, 0, otherShare);
    }

    static List<Scenario> all() {
        Scenario s1 = steady();
        return List.of(
                s1,
                s1.withRejectionsCounting().withName("S1r rejections count"),
                requestsBind(s1).withName("S1q requests bind"),
                new Scenario("S2 capacity halves", 900, 60, 900, RPM, TPM, BURST_SECONDS, false,
                        OptionalLong.empty(), List.of(new Scenario.Step(0, 1), new Scenario.Step(300, 0.5),
                                new Scenario.Step(600, 1)),
                        List.of(new Scenario.Step(0, 48)), 1, 0, 0, 0),
                new Scenario("S3 10x burst", 600, 200, 400, RPM, TPM, BURST_SECONDS, false, OptionalLong.empty(),
                        FULL_CAPACITY, List.of(new Scenario.Step(0, 6), new Scenario.Step(200, 60),
                                new Scenario.Step(400, 6)), 1, 0, 0, 0),
                new Scenario("S4 four clients", 600, 60, 600, RPM, TPM, BURST_SECONDS, false, OptionalLong.empty(),
                        FULL_CAPACITY, List.of(new Scenario.Step(0, 12)), 4, 0, 0, 0),
                new Scenario("S5 60 s of 529", 600, 60, 600, RPM, TPM, BURST_SECONDS, false, OptionalLong.empty(),
                        FULL_CAPACITY, List.of(new Scenario.Step(0, 48)), 1, 200, 260, 0),
                s1.withRetryAfter(0).withName("S6 retry-after 0"),
                s1.withRetryAfter(1).withName("S6 retry-after 1"),
                s1.withRetryAfter(60).withName("S6 retry-after 60"),
                s1.withRetryAfter(150).withName("S6 retry-after 150"),
                quota("Q1 60 RPM / 40k TPM", 60, 40_000, 12, 0),
                quota("Q2 500 RPM / 200k TPM", 500, 200_000, 48, 0),
                quota("Q3 Q2, other takes ½", 500, 200_000, 48, 0.5),
                new Scenario("Q4 Q2 halves, returns", 900, 120, 900, 500, 200_000, 60, false, OptionalLong.empty(),
                        List.of(new Scenario.Step(0, 1), new Scenario.Step(300, 0.5), new Scenario.Step(600, 1)),
                        List.of(new Scenario.Step(0, 48)), 1, 0, 0, 0));
    }
}
