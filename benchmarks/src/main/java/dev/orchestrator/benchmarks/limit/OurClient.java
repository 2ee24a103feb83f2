package dev.orchestrator.benchmarks.limit;

import dev.orchestrator.core.internal.limit.AimdLimiter;
import dev.orchestrator.core.internal.limit.LimiterKey;
import dev.orchestrator.core.internal.limit.LimiterRegistry;
import dev.orchestrator.core.internal.limit.LimiterSettings;
import dev.orchestrator.core.internal.limit.Priority;
import dev.orchestrator.core.internal.retry.LimiterFeedback;
import dev.orchestrator.core.internal.retry.RetryDecision;
import dev.orchestrator.core.internal.retry.RetryPolicy;
import dev.orchestrator.core.internal.retry.RetryRules;
import java.util.SplittableRandom;

/**
 * The SDK: the real {@link AimdLimiter}, {@link RetryRules} and {@link LimiterFeedback} with their default settings,
 * driven through the limiter's asynchronous API on the simulation's clock.
 */
final class OurClient extends Client {

    private final AimdLimiter limiter;
    private final RetryRules rules;

    OurClient(Simulation sim, int id, long seed) {
        super(sim);
        this.limiter = LimiterRegistry.on(sim.loop, LimiterSettings.defaults(), seed)
                .limiter(new LimiterKey("simulated", "model", "client-" + id));
        this.rules = new RetryRules(RetryPolicy.defaults(), sim.loop, new SplittableRandom(seed + 1));
    }

    @Override
    void start(Call call) {
        rules.recordCall();
        attempt(call);
    }

    private void attempt(Call call) {
        limiter.acquire(Priority.WORKER).thenAccept(permit -> {
            call.permit = permit;
            call.attempts++;
            sim.send(this, call);
        });
    }

    @Override
    void completed(Call call, SimulatedProvider.Answer answer) {
        switch (answer) {
            case SimulatedProvider.Ok ok -> {
                call.permit.success(ok.rateLimits());
                sim.finish(call, true);
            }
            case SimulatedProvider.Refused refused -> {
                LimiterFeedback.release(call.permit, refused.failure());
                switch (rules.decide(refused.failure(), call.attempts, false, "simulated")) {
                    case RetryDecision.Retry retry -> sim.loop.schedule(retry.delay(), () -> attempt(call));
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
