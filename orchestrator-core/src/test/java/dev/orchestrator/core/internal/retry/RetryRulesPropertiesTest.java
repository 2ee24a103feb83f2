package dev.orchestrator.core.internal.retry;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import dev.orchestrator.api.LlmException;
import dev.orchestrator.api.RateLimits;
import dev.orchestrator.core.internal.limit.ManualTime;
import dev.orchestrator.core.internal.log.Durations;
import java.time.Duration;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The rules for refusals that say when to come back, for every wait, attempt count and patience spent. */
class RetryRulesPropertiesTest {

    private static final Duration PATIENCE = Duration.ofMinutes(15);

    /** Rules that allow one attempt and no retry at all: only a wait the server asked for can go again. */
    private static RetryRules strictRules() {
        return new RetryRules(RetryPolicy.builder().maxAttempts(1).budget(0, 0, Duration.ofMinutes(1))
                .patience(PATIENCE).build(), new ManualTime(), new SplittableRandom(1));
    }

    private static LlmException refusal(int kind, Duration wait) {
        return kind == 0
                ? new LlmException.RateLimited("429", Optional.of(wait), RateLimits.UNKNOWN)
                : new LlmException.Overloaded("529", kind == 1 ? 529 : 503, Optional.of(wait));
    }

    @Test
    void aWaitThatFitsThePatienceIsWaitedWhateverTheAttemptsAndTheBudget() {
        RetryRules rules = strictRules();
        qt().forAll(integers().between(1, 900), integers().between(0, 899), integers().between(1, 1000),
                integers().between(0, 2)).checkAssert((wait, spent, attempts, kind) -> {
                    // what was waited before, anything that leaves room for this wait
                    int waited = spent % (901 - wait);
                    RetryDecision decision = rules.decide(refusal(kind, Duration.ofSeconds(wait)),
                            new RetryRules.SoFar(attempts, false, Duration.ofSeconds(waited), Duration.ZERO), "p");
                    assertInstanceOf(RetryDecision.Wait.class, decision);
                    assertTrue(((RetryDecision.Wait) decision).delay().equals(Duration.ofSeconds(wait)));
                });
        // and none of those waits used the budget: a failure without a wait still finds it as it was (empty)
        assertInstanceOf(RetryDecision.GiveUp.class, rules.decide(new LlmException.Transient("502", 502, null),
                new RetryRules.SoFar(0, false, Duration.ZERO, Duration.ZERO), "p"));
    }

    @Test
    void aWaitBeyondThePatienceLeftEndsTheCallNamingTheWaitAndTheKnob() {
        RetryRules rules = strictRules();
        qt().forAll(integers().between(1, 3600), integers().between(0, 900), integers().between(0, 2))
                .assuming((wait, waited, kind) -> wait + waited > 900)
                .checkAssert((wait, waited, kind) -> {
                    RetryDecision decision = rules.decide(refusal(kind, Duration.ofSeconds(wait)),
                            new RetryRules.SoFar(1, false, Duration.ofSeconds(waited), Duration.ZERO), "p");
                    String message = assertInstanceOf(RetryDecision.GiveUp.class, decision).error().getMessage();
                    assertTrue(message.contains("asked to wait " + Durations.words(Duration.ofSeconds(wait))),
                            message);
                    assertTrue(message.contains("callPatience"), message);
                });
    }
}
