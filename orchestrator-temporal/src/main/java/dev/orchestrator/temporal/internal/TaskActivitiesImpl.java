package dev.orchestrator.temporal.internal;

import dev.orchestrator.api.Budget;
import dev.orchestrator.api.LlmException;
import dev.orchestrator.api.Mission;
import dev.orchestrator.api.MissionEvent;
import dev.orchestrator.api.Task;
import dev.orchestrator.api.spi.MissionSettings;
import dev.orchestrator.core.internal.engine.TaskRunner;
import dev.orchestrator.temporal.MissionWorkerOptions;
import dev.orchestrator.temporal.WorkspaceSource.Revision;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.client.ActivityCompletionException;
import io.temporal.failure.ApplicationFailure;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * Runs each task with the embedded engine's agents, tools, provider and limiter ({@link TaskRunner}) on a journal
 * kept in the activity's heartbeat details, in the workspace of the mission on this worker, which it saves when the
 * task is done (the revision goes back with the answer). A model call that failed for a passing reason fails the
 * attempt, with the journal so far, and the attempt is retried (by the workflow on a host's queue, by Temporal on the
 * shared one); any other failure ends the task for good, since running it again would fail again.
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
        Task task = Wire.task(order.task());
        return run(order, settings -> Wire.tag((Record) TaskRunner.act(settings, order.role(), task)),
                order.role() + " " + task.id());
    }

    @Override
    public TaskOutcome verify(TaskOrder order) {
        return run(order, settings -> new Wire.Tagged("Verify", Wire.verify(TaskRunner.verify(settings))),
                "verify");
    }

    private TaskOutcome run(TaskOrder order, Function<MissionSettings, Wire.Tagged> task, String done) {
        ActivityExecutionContext context = Activity.getExecutionContext();
        List<String> previous = context.getHeartbeatDetails(String[].class).map(Arrays::asList)
                .orElseGet(() -> order.carriedFrom().equals(options.hostQueue()) ? order.carried()
                        : moved(order.carried()));
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
            MissionSettings settings = settings(order, journal);
            Wire.Tagged answer = task.apply(settings);
            Revision saved = options.workspaces().save(order.mission().missionId(), settings.workspace(), done);
            List<String> records = journal.snapshot();
            // the first record is the journal's MissionStarted, which the workflow has of its own
            return new TaskOutcome(records.subList(1, records.size()), answer, saved);
        } catch (LlmException e) {
            if (e.isRetryable()) {
                // the journal goes with the failure, for the workflow's retry on a host's queue
                throw ApplicationFailure.newFailureWithCause(e.getMessage(), e.getClass().getName(), e,
                        (Object) journal.snapshot().toArray(String[]::new));
            }
            throw ApplicationFailure.newNonRetryableFailureWithCause(e.getMessage(), e.getClass().getName(), e);
        } catch (UncheckedIOException e) {
            // the workspace's store could not be reached (to open or to save it): it may be back for a retry, which
            // answers the task's calls from the journal
            throw ApplicationFailure.newFailureWithCause(e.getMessage(), e.getClass().getName(), e,
                    (Object) journal.snapshot().toArray(String[]::new));
        } catch (RuntimeException e) {
            if (stopping.getAsBoolean() || workerStopped(e)) {
                // not the task's fault: another worker takes it up, from the journal this attempt leaves
                throw ApplicationFailure.newFailureWithCause("the worker stopped during the task", "WorkerStopped",
                        e, (Object) journal.snapshot().toArray(String[]::new));
            }
            throw ApplicationFailure.newNonRetryableFailureWithCause(e.getClass().getSimpleName() + ": "
                    + e.getMessage(), e.getClass().getName(), e);
        } finally {
            alive.cancel(false);
            journal.close();
        }
    }

    /**
     * The journal of an attempt on another host (one that was lost), for this attempt: its model calls are answered
     * from it, but its tool calls run again, since what they did to the lost host's files is not in the revision the
     * workspace was rebuilt at (a tool that is not idempotent is reported as cut off instead of run again).
     */
    static List<String> moved(List<String> carried) {
        return carried.stream().filter(json -> !(Wire.event(json) instanceof MissionEvent.ToolCallCompleted))
                .toList();
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

    private MissionSettings settings(TaskOrder order, HeartbeatJournal journal) {
        MissionSpec spec = order.mission();
        Path workspace = options.workspaces().open(spec.missionId(), order.revision());
        Mission.Builder builder = options.missions().apply(Mission.builder());
        return builder.missionId(spec.missionId())
                .goal(spec.goal())
                .workspace(workspace)
                .verifyWith(spec.verifyCommand())
                .verifyTimeout(Duration.ofMillis(spec.verifyTimeoutMillis()))
                .maxWorkerTurns(spec.maxWorkerTurns())
                .budget(Budget.ofTokens(order.tokensLeft()))
                .journal(journal)
                .build().settings();
    }
}
