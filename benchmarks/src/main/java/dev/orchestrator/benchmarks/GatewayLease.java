package dev.orchestrator.benchmarks;

import dev.orchestrator.api.Agent;
import dev.orchestrator.api.AgentContext;
import dev.orchestrator.api.AgentResult;
import dev.orchestrator.api.LlmGateway;
import dev.orchestrator.api.LlmProvider;
import dev.orchestrator.api.Mission;
import dev.orchestrator.api.MissionHandle;
import dev.orchestrator.api.MissionResult;
import dev.orchestrator.api.Task;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A running mission whose only Worker lends its model gateway out until the lease is closed, so a benchmark can
 * call the engine's gateway directly: each call then costs exactly what one Worker turn costs the engine (ids,
 * budget check, journal, state fold, listeners), with no agent loop and no thread hand-off around it.
 */
final class GatewayLease implements AutoCloseable {

    private static final Duration TIMEOUT = Duration.ofMinutes(1);

    private final CompletableFuture<LlmGateway> lent = new CompletableFuture<>();
    private final CountDownLatch returned = new CountDownLatch(1);
    private final MissionHandle mission;

    /** Starts a one-todo mission on {@code provider} in {@code workspace} and waits for its Worker's gateway. */
    GatewayLease(LlmProvider provider, Path workspace) throws Exception {
        mission = Mission.builder()
                .goal("Lend the Worker's gateway to a benchmark")
                .workspace(workspace)
                .provider(provider)
                .verifyWith("true")
                .agent(new LendingWorker())
                .build()
                .start();
        lent.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    /** The Worker's gateway, valid until {@link #close()}. */
    LlmGateway gateway() {
        return lent.join();
    }

    /** Lets the Worker finish and waits for the mission to complete. */
    @Override
    public void close() {
        returned.countDown();
        MissionResult result;
        try {
            result = mission.await(TIMEOUT).orElseThrow(() -> new IllegalStateException(
                    "the mission did not end within " + TIMEOUT + " after the lease was closed"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the mission ended", e);
        }
        if (!result.isCompleted()) {
            throw new IllegalStateException("the mission did not complete: " + result.outcome() + ", "
                    + result.reason());
        }
    }

    private final class LendingWorker implements Agent {

        @Override
        public String role() {
            return WORKER;
        }

        @Override
        public AgentResult act(Task task, AgentContext context) {
            lent.complete(context.llm());
            try {
                returned.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new AgentResult.Failed("interrupted while the gateway was lent out");
            }
            return new AgentResult.Done("lent the gateway");
        }
    }
}
