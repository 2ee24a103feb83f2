package dev.orchestrator.benchmarks.limit;

import dev.orchestrator.api.LlmException;
import dev.orchestrator.api.RateLimits;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SplittableRandom;

/**
 * A provider with a requests-per-minute and a tokens-per-minute bucket. A call that finds either bucket short is
 * refused at once with a 429 and an integer retry-after (the seconds until it would fit, rounded up); during a
 * storm every call gets a 529. Responses carry {@code x-ratelimit-*}-style limits, remaining counts and resets.
 */
final class SimulatedProvider {

    private static final double REFUSAL_SECONDS = 0.2;
    private static final double OVERLOAD_SECONDS = 0.5;
    private static final double OTHER_PROCESS_TICK = 0.25;

    private final Scenario scenario;
    private final EventLoop loop;
    private final SplittableRandom random;
    private final TokenBucket requests;
    private final TokenBucket tokens;

    /** What the provider answered, after how long. */
    sealed interface Answer {
        double seconds();
    }

    record Ok(double seconds, RateLimits rateLimits) implements Answer {
    }

    record Refused(double seconds, LlmException failure) implements Answer {
    }

    SimulatedProvider(Scenario scenario, EventLoop loop, SplittableRandom random) {
        this.scenario = scenario;
        this.loop = loop;
        this.random = random;
        double factor = scenario.capacityAt(0);
        this.requests = new TokenBucket(scenario.rpm() * factor, scenario.burstSeconds());
        this.tokens = new TokenBucket(scenario.tpm() * factor, scenario.burstSeconds());
        for (Scenario.Step step : scenario.capacity()) {
            if (step.at() > 0) {
                loop.after(step.at(), () -> {
                    requests.setPerMinute(scenario.rpm() * step.value(), loop.now());
                    tokens.setPerMinute(scenario.tpm() * step.value(), loop.now());
                });
            }
        }
        if (scenario.otherShare() > 0) {
            loop.after(OTHER_PROCESS_TICK, this::otherProcess);
        }
    }

    /** The other process on the same key: takes its share of both buckets, a little at a time. */
    private void otherProcess() {
        double now = loop.now();
        requests.refill(now);
        tokens.refill(now);
        double share = scenario.otherShare() * scenario.capacityAt(now) * OTHER_PROCESS_TICK / 60;
        requests.take(scenario.rpm() * share);
        tokens.take(scenario.tpm() * share);
        loop.after(OTHER_PROCESS_TICK, this::otherProcess);
    }

    /** Calls per second the provider can serve at {@code seconds}, for calls of average size. */
    double callsPerSecond(double seconds) {
        return Math.min(requestsPerSecond(seconds), tokensPerSecond(seconds) / Workload.MEANS.tokens());
    }

    /** The requests per second left for the clients: the quota less the other process's share. */
    double requestsPerSecond(double seconds) {
        return scenario.rpm() * scenario.capacityAt(seconds) * (1 - scenario.otherShare()) / 60;
    }

    /** The tokens per second left for the clients. */
    double tokensPerSecond(double seconds) {
        return scenario.tpm() * scenario.capacityAt(seconds) * (1 - scenario.otherShare()) / 60;
    }

    Answer answer(Workload.Shape call) {
        double now = loop.now();
        requests.refill(now);
        tokens.refill(now);
        if (scenario.stormAt(now)) {
            return new Refused(OVERLOAD_SECONDS, new LlmException.Overloaded("overloaded", 529, Optional.empty()));
        }
        if (!requests.has(1) || !tokens.has(call.totalTokens())) {
            double wait = Math.max(requests.secondsUntil(1), tokens.secondsUntil(call.totalTokens()));
            if (scenario.rejectionsCount()) {
                requests.take(1);
            }
            long retryAfter = scenario.fixedRetryAfter().orElse(Math.max(1, (long) Math.ceil(wait)));
            return new Refused(REFUSAL_SECONDS, new LlmException.RateLimited("rate limited",
                    Optional.of(Duration.ofSeconds(retryAfter)), headers()));
        }
        requests.take(1);
        tokens.take(call.totalTokens());
        return new Ok(Workload.latencySeconds(call, random), headers());
    }

    private RateLimits headers() {
        // the limits per minute, as OpenAI and Anthropic report them: the key's whole quota
        double factor = scenario.capacityAt(loop.now());
        return new RateLimits(OptionalLong.of(requests.remaining()), OptionalLong.of(tokens.remaining()),
                Optional.of(requests.untilFull()), Optional.of(tokens.untilFull()),
                OptionalLong.of(Math.round(scenario.rpm() * factor)), OptionalLong.of(Math.round(scenario.tpm()
                        * factor)));
    }
}
