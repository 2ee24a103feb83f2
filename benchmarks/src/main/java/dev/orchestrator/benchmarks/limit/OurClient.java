package dev.orchestrator.benchmarks.limit;

import dev.orchestrator.core.internal.limit.AimdLimiter;
import dev.orchestrator.core.internal.limit.LimiterKey;
import dev.orchestrator.core.internal.limit.LimiterRegistry;
import dev.orchestrator.core.internal.limit.LimiterSettings;
import dev.orchestrator.core.internal.limit.PacedRates;
import dev.orchestrator.core.internal.limit.Priority;
import dev.orchestrator.core.internal.limit.QuotaDemand;
import dev.orchestrator.core.internal.retry.LimiterFeedback;
import dev.orchestrator.core.internal.retry.RetryDecision;
import dev.orchestrator.core.internal.retry.RetryPolicy;
import dev.orchestrator.core.internal.retry.RetryRules;
import java.time.Duration;
import java.util.SplittableRandom;

/**
 * The SDK: the real {@link AimdLimiter} (with its pacer), {@link RetryRules} and {@link LimiterFeedback} with their
 * default settings, driven through the limiter's asynchronous API on the simulation's clock, as
 * {@code RetryingProvider} drives them: a token estimate with every acquire, a send only if no pause is known, waits
 * the provider asked for that are neither attempts nor retries.
 */
final class OurClient extends Client {

    /** What the SDK's agents ask for at most by default ({@code ChatRequest.maxOutputTokens}). */
    private static final int MAX_OUTPUT_TOKENS = 4096;

    /** How often a leased client renews its lease, as the Temporal workers do by default. */
    private static final double LEASE_PERIOD_SECONDS = 10;
    /** The update's round trip to the quota workflow and back. */
    private static final double LEASE_ROUND_TRIP_SECONDS = 0.1;

    private final AimdLimiter limiter;
    private final RetryRules rules;
    private final String holder;
    private final boolean leased;
    private boolean quotaReported;

    /** A client; a {@code leased} one renews a lease of the shared quota from the start and every period. */
    OurClient(Simulation sim, int id, long seed, boolean leased) {
        super(sim);
        this.limiter = LimiterRegistry.on(sim.loop, LimiterSettings.defaults(), seed)
                .limiter(new LimiterKey("simulated", "model", "client-" + id));
        this.rules = new RetryRules(RetryPolicy.defaults(), sim.loop, new SplittableRandom(seed + 1));
        this.holder = "client-" + id;
        this.leased = leased;
        if (leased) {
            sim.loop.after(0, this::renewEveryPeriod);
        }
    }

    private void renewEveryPeriod() {
        renewLease();
        sim.loop.after(LEASE_PERIOD_SECONDS, this::renewEveryPeriod);
    }

    /** Asks the coordinator for this period's share (it sees the demand sent now), and paces for it on its answer. */
    private void renewLease() {
        QuotaDemand demand = limiter.demand();
        quotaReported |= demand.quota().requestsPerMinute() > 0;
        sim.loop.after(LEASE_ROUND_TRIP_SECONDS / 2, () -> {
            PacedRates share = sim.quotaShares.renew(holder, demand, (long) (sim.loop.now() * 1000),
                    (long) (LEASE_PERIOD_SECONDS * 1000));
            sim.loop.after(LEASE_ROUND_TRIP_SECONDS / 2, () -> limiter.lease(share));
        });
    }

    @Override
    void start(Call call) {
        rules.recordCall();
        attempt(call);
    }

    private void attempt(Call call) {
        double askedAt = sim.loop.now();
        Duration patienceLeft = rules.policy().patience().minusNanos((long) (call.waitedSeconds * 1e9));
        if (!patienceLeft.isPositive()) {
            sim.finish(call, false);
            return;
        }
        limiter.acquire(Priority.WORKER, estimate(call), patienceLeft).whenComplete((permit, timedOut) -> {
            call.waitedSeconds += sim.loop.now() - askedAt;
            if (timedOut != null) {
                sim.finish(call, false);
            } else if (!permit.startSend()) {
                // a pause was announced since the permit was granted: wait for its end
                permit.ignored();
                attempt(call);
            } else {
                call.permit = permit;
                call.attempts++;
                call.sentAt = sim.loop.now();
                sim.send(this, call);
            }
        });
    }

    /** The SDK's own estimate: the input (known from the request) plus the most the call may answer. */
    private static long estimate(Call call) {
        return call.shape.inputTokens() + MAX_OUTPUT_TOKENS;
    }

    @Override
    void completed(Call call, SimulatedProvider.Answer answer) {
        call.sendingSeconds += sim.loop.now() - call.sentAt;
        switch (answer) {
            case SimulatedProvider.Ok ok -> {
                call.permit.success(ok.rateLimits(), call.shape.totalTokens());
                if (leased && !quotaReported && limiter.quota().requestsPerMinute() > 0) {
                    // the first headers: a lease of the quota they show, now rather than at the period's end
                    renewLease();
                }
                sim.finish(call, true);
            }
            case SimulatedProvider.Refused refused -> {
                LimiterFeedback.release(call.permit, refused.failure());
                call.countedAttempts++;
                RetryRules.SoFar soFar = new RetryRules.SoFar(call.countedAttempts, false,
                        Duration.ofNanos((long) (call.waitedSeconds * 1e9)),
                        Duration.ofNanos((long) (call.sendingSeconds * 1e9)));
                switch (rules.decide(refused.failure(), soFar, "simulated")) {
                    case RetryDecision.Wait wait -> {
                        call.countedAttempts--;
                        attempt(call);
                    }
                    case RetryDecision.Retry retry -> sim.loop.schedule(retry.delay(), () -> {
                        call.waitedSeconds += retry.delay().toNanos() / 1e9;
                        attempt(call);
                    });
                    case RetryDecision.Compact compact -> sim.finish(call, false);
                    case RetryDecision.GiveUp giveUp -> sim.finish(call, false);
                }
            }
        }
    }

    @Override
    boolean pausedByItself() {
        return limiter.state().pausedUntil().isPresent();
    }

    double limit() {
        return limiter.state().limit();
    }
}
