package dev.orchestrator.temporal.internal;

import dev.orchestrator.api.Budget;
import dev.orchestrator.api.LlmException;
import dev.orchestrator.api.Mission;
import dev.orchestrator.api.MissionEvent.MemoryNoted;
import dev.orchestrator.api.MissionEvent.MissionStarted;
import dev.orchestrator.api.MissionStoppedException;
import dev.orchestrator.api.spi.MissionSettings;
import dev.orchestrator.core.internal.engine.TaskRunner;
import dev.orchestrator.temporal.MissionWorkerOptions;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.client.ActivityCompletionException;
import io.temporal.failure.ApplicationFailure;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * Runs each task with the embedded engine's agents, tools, provider and limiter ({@link TaskRunner}) on a journal
 * kept in the activity's heartbeat details. A model call that failed for a passing reason fails the attempt, and
 * Temporal retries it; any other failure ends the task for good, since running it again would fail again.
 */
public final class TaskActivitiesImpl implements TaskActivities {

    private final MissionWorkerOptions options;
    private final ScheduledExecutorService heartbeats;
    private final BooleanSupplier stopping;

    /**
     * @param options what this worker brings to missions
     * @param heartbeats runs the heartbeats of tasks busy in a long call; the worker owns it
     * @param stopping whether the worker is stopping, which makes any failure of a task worth a retry elsewhere
     */
    public TaskActivitiesImpl(MissionWorkerOptions options, ScheduledExecutorService heartbeats,
            BooleanSupplier stopping) {
        this.options = options;
        this.heartbeats = heartbeats;
        this.stopping = stopping;
    }

    @Override
    public TaskOutcome act(TaskOrder order) {
        return run(order, settings -> Wire.tag((Record) TaskRunner.act(settings, order.role(),
                Wire.task(order.task()))));
    }

    @Override
    public TaskOutcome verify(TaskOrder order) {
        return run(order, settings -> new Wire.Tagged("Verify", Wire.verify(TaskRunner.verify(settings))));
    }

    private TaskOutcome run(TaskOrder order, Function<MissionSettings, Wire.Tagged> task) {
        ActivityExecutionContext context = Activity.getExecutionContext();
        Path workspace = options.workspaces().open(order.mission().missionId());
        List<String> seed = seed(order, workspace);
        // an order of an older workflow has no seed: its journal begins with the runner's own start
        int seeded = order.notes() == null ? 1 : seed.size();
        List<String> previous = context.getHeartbeatDetails(String[].class).map(Arrays::asList).orElse(seed);
        HeartbeatJournal journal = new HeartbeatJournal(previous, context::heartbeat);
        long every = Math.max(100, order.mission().heartbeatMillis() / 3);
        Thread runner = Thread.currentThread();
        ScheduledFuture<?> alive = heartbeats.scheduleAtFixedRate(() -> {
            try {
                journal.beat();
            } catch (ActivityCompletionException e) {
                // cancelled, timed out or the worker stops: the task ends, and closing it ends its commands
                runner.interrupt();
                throw e;
            }
        }, every, every, TimeUnit.MILLISECONDS);
        try {
            return outcome(journal, seeded, task.apply(settings(order, workspace, journal)));
        } catch (MissionStoppedException e) {
            // the budget is reached (or a price is missing): the workflow, which sees every task's calls, says so
            return outcome(journal, seeded, new Wire.Tagged(STOPPED, e.getMessage()));
        } catch (RuntimeException e) {
            throw failure(e);
        } finally {
            alive.cancel(false);
            journal.close();
        }
    }

    /** The answer of a task that stopped because its mission is ending: no answer, only its calls. */
    public static final String STOPPED = "Stopped";

    /** What the task did: its records after the seed, which the workflow has of its own, and its answer. */
    private static TaskOutcome outcome(HeartbeatJournal journal, int seeded, Wire.Tagged answer) {
        List<String> records = journal.snapshot();
        return new TaskOutcome(records.subList(Math.min(seeded, records.size()), records.size()), answer);
    }

    /**
     * The task's journal as it begins: the mission's start, with its memory and context, and the memory notes made
     * so far, so that the agent reads the memory the embedded engine's would.
     */
    private static List<String> seed(TaskOrder order, Path workspace) {
        if (order.notes() == null) {
            return List.of();
        }
        MissionSpec spec = order.mission();
        MissionSpec.Terms terms = spec.termsOrNone();
        Instant at = Instant.now();
        List<String> seed = new ArrayList<>();
        seed.add(Wire.event(new MissionStarted(spec.missionId(), spec.goal(), workspace.toString(),
                spec.verifyCommand(), terms.memory(), terms.context(), at)));
        order.notes().forEach(note -> seed.add(Wire.event(new MemoryNoted(note, at))));
        return seed;
    }

    /** The failure a task that could not finish reports: worth a retry elsewhere, or final. */
    private RuntimeException failure(RuntimeException e) {
        if (e instanceof LlmException llm) {
            return llm.isRetryable() ? llm
                    : ApplicationFailure.newNonRetryableFailureWithCause(e.getMessage(), e.getClass().getName(), e);
        }
        if (stopping.getAsBoolean() || workerStopped(e)) {
            // not the task's fault: another worker takes it up, from the journal this attempt leaves
            return ApplicationFailure.newFailureWithCause("the worker stopped during the task", "WorkerStopped", e);
        }
        return ApplicationFailure.newNonRetryableFailureWithCause(e.getClass().getSimpleName() + ": "
                + e.getMessage(), e.getClass().getName(), e);
    }

    /** Whether {@code failure} came of this worker stopping (an interrupt, a heartbeat refused) during the task. */
    private static boolean workerStopped(Throwable failure) {
        if (Thread.currentThread().isInterrupted()) {
            return true;
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof InterruptedException || cause instanceof ActivityCompletionException) {
                return true;
            }
        }
        return false;
    }

    private MissionSettings settings(TaskOrder order, Path workspace, HeartbeatJournal journal) {
        MissionSpec spec = order.mission();
        Mission.Builder builder = options.missions().apply(Mission.builder());
        Wire.prices(spec.termsOrNone().prices()).forEach(builder::price);
        return builder.missionId(spec.missionId())
                .goal(spec.goal())
                .workspace(workspace)
                .verifyWith(spec.verifyCommand())
                .verifyTimeout(Duration.ofMillis(spec.verifyTimeoutMillis()))
                .maxWorkerTurns(spec.maxWorkerTurns())
                .budget(new Budget(order.tokensLeft(), Optional.ofNullable(order.dollarsLeft()).map(BigDecimal::new)))
                .journal(journal)
                .build().settings();
    }
}
