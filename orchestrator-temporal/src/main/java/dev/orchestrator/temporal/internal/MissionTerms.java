package dev.orchestrator.temporal.internal;

import dev.orchestrator.api.Budget;
import dev.orchestrator.core.internal.engine.MissionSteps;
import dev.orchestrator.core.llm.ModelPrices;
import io.temporal.workflow.Workflow;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Optional;

/**
 * The mission's budget, prices, deadline and call patience, as the workflow applies them: what the embedded engine
 * reads from the mission's settings, here from its spec.
 */
final class MissionTerms {

    private final Budget budget;
    private final ModelPrices prices;
    private final Duration deadline;
    private final Optional<Duration> callPatience;
    private long deadlineAt;

    MissionTerms(MissionSpec spec) {
        MissionSpec.Terms terms = spec.termsOrNone();
        this.budget = new Budget(spec.maxTokens(), Optional.ofNullable(terms.maxDollars()).map(BigDecimal::new));
        this.prices = MissionSteps.prices(Wire.prices(terms.prices()));
        this.deadline = Duration.ofMillis(terms.deadlineMillis());
        this.callPatience = terms.callPatienceMillis() > 0 ? Optional.of(Duration.ofMillis(terms.callPatienceMillis()))
                : Optional.empty();
    }

    Budget budget() {
        return budget;
    }

    ModelPrices prices() {
        return prices;
    }

    Duration deadline() {
        return deadline;
    }

    /** {@return the call patience, which bounds a task's failures in a row; none in a spec from before it} */
    Optional<Duration> callPatience() {
        return callPatience;
    }

    /** {@return when the deadline passes, in workflow time, or 0 for none} */
    long deadlineAt() {
        return deadlineAt;
    }

    /**
     * Starts the deadline's timer, if the mission has a deadline: {@code passed} runs when it fires. The deadline
     * counts from the mission's start, which a continued run finds in {@code chain}.
     */
    void watchDeadline(MissionSpec.Chain chain, Runnable passed) {
        if (deadline.isZero()) {
            return;
        }
        long now = Workflow.currentTimeMillis();
        deadlineAt = chain != null && chain.deadlineAtMillis() > 0 ? chain.deadlineAtMillis()
                : now + deadline.toMillis();
        Workflow.newTimer(Duration.ofMillis(Math.max(1, deadlineAt - now))).thenApply(fired -> {
            passed.run();
            return fired;
        });
    }
}
