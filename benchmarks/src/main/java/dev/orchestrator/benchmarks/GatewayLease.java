package dev.orchestrator.benchmarks;

import dev.orchestrator.api.Agent;
import dev.orchestrator.api.AgentContext;
import dev.orchestrator.api.AgentResult;
import dev.orchestrator.api.LlmGateway;
import dev.orchestrator.api.Mission;
import dev.orchestrator.api.MissionHandle;
import dev.orchestrator.api.MissionResult;
import dev.orchestrator.api.Task;
import dev.orchestrator.core.llm.ScriptedProvider;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A running mission whose Workers lend their model gateways out one after the other, so a benchmark can call the
 * engine's gateway directly: each call then costs exactly what one Worker turn costs the engine (ids, budget check,
 * journal, state fold, listeners), with no agent loop and no thread hand-off around it. A task lends its gateway
 * until {@link #next()} moves on to the next task, as a real Worker's task ends after a bounded number of turns; two
 * Workers run at once, so the next gateway is waiting when the benchmark moves on.
 */
final class GatewayLease implements AutoCloseable {

    private static final Duration TIMEOUT = Duration.ofMinutes(1);

    private final BlockingQueue<Lent> lent = new LinkedBlockingQueue<>();
    private final MissionHandle mission;
    private volatile boolean closing;
    private Lent current;

    private record Lent(LlmGateway gateway, CountDownLatch returned) {
    }

    /**
     * Starts a mission of {@code todos} Worker tasks on a model that answers every Worker call with "done", in
     * {@code workspace}, and waits for the first Worker's gateway.
     */
    GatewayLease(int todos, Path workspace) throws Exception {
        mission = Mission.builder()
                .goal("Lend the Workers' gateways to a benchmark")
                .workspace(workspace)
                .provider(ScriptedTeam.script(todos, ScriptedProvider.text("done")).build())
                .verifyWith("true")
                .maxParallelWorkers(2)
                .agent(new LendingWorker())
                .build()
                .start();
        current = take();
    }

    /** The current task's gateway, valid until {@link #next()} or {@link #close()}. */
    LlmGateway gateway() {
        return current.gateway();
    }

    /** Lets the current task finish and returns the next task's gateway. */
    LlmGateway next() throws InterruptedException {
        current.returned().countDown();
        current = take();
        return current.gateway();
    }

    private Lent take() throws InterruptedException {
        Lent next = lent.poll(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        if (next == null) {
            throw new IllegalStateException("no Worker lent its gateway within " + TIMEOUT + ": " + mission.await(
                    Duration.ZERO).map(end -> "the mission ended: " + end.outcome() + ", " + end.reason())
                    .orElse("the mission ran out of todos (give the lease more)"));
        }
        return next;
    }

    /** Lets every Worker finish and waits for the mission to complete. */
    @Override
    public void close() {
        closing = true;
        current.returned().countDown();
        for (Lent waiting = lent.poll(); waiting != null; waiting = lent.poll()) {
            waiting.returned().countDown();
        }
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
            if (closing) {
                return new AgentResult.Done("the lease was closed");
            }
            Lent mine = new Lent(context.llm(), new CountDownLatch(1));
            lent.add(mine);
            // a Worker that lent its gateway after close() drained the queue lets itself go
            if (closing && lent.remove(mine)) {
                return new AgentResult.Done("the lease was closed");
            }
            try {
                mine.returned().await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new AgentResult.Failed("interrupted while the gateway was lent out");
            }
            return new AgentResult.Done("lent the gateway");
        }
    }
}
