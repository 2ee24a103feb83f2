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
