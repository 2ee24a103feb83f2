package dev.orchestrator.temporal.internal;

import dev.orchestrator.api.Budget;
import dev.orchestrator.api.LlmException;
import dev.orchestrator.api.LlmProvider;
import dev.orchestrator.api.Mission;
import dev.orchestrator.api.MissionEvent;
import dev.orchestrator.api.MissionEvent.MemoryNoted;
import dev.orchestrator.api.MissionEvent.MissionStarted;
import dev.orchestrator.api.MissionStoppedException;
import dev.orchestrator.api.Task;
import dev.orchestrator.api.spi.MissionSettings;
import dev.orchestrator.core.internal.engine.FailingSpell;
import dev.orchestrator.core.internal.engine.TaskRunner;
import dev.orchestrator.temporal.MissionWorkerOptions;
import dev.orchestrator.temporal.WorkspaceSource.Revision;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.client.ActivityCompletionException;
import io.temporal.failure.ApplicationFailure;
import java.io.UncheckedIOException;
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
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Runs each task with the embedded engine's agents, tools, provider and limiter ({@link TaskRunner}) on a journal
 * kept in the activity's heartbeat details, in the workspace of the mission on this worker, which it saves when the
 * task is done (the revision goes back with the answer). A model call that failed for a passing reason fails the
 * attempt, with the journal so far, and the attempt is retried (by the workflow on a host's queue, by Temporal on the
 * shared one); any other failure ends the task for good, since running it again would fail again. A task the
 * mission's budget stops answers {@link #STOPPED} with the calls it made, for the workflow to end the mission.
 */
public final class TaskActivitiesImpl implements TaskActivities {

    private final MissionWorkerOptions options;
    private final ScheduledExecutorService heartbeats;
    private final BooleanSupplier stopping;
    private final Consumer<LlmProvider> providers;

    /**
     * @param options what this worker brings to missions
     * @param heartbeats runs the heartbeats of tasks busy in a long call; the worker owns it
     * @param stopping whether the worker is stopping, which makes any failure of a task worth a retry elsewhere
     * @param providers told of the provider of each task (whose quota this worker may share)
     */
    public TaskActivitiesImpl(MissionWorkerOptions options, ScheduledExecutorService heartbeats,
            BooleanSupplier stopping, Consumer<LlmProvider> providers) {
        this.options = options;
        this.heartbeats = heartbeats;
        this.stopping = stopping;
        this.providers = providers;
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
        String missionId = order.mission().missionId();
        if (stopping.getAsBoolean()) {
            // taken from the queue as this worker stops (a poll under way returns a task): left to another worker
            // before any call, since a call made now could be answered and then lost with this worker
            throw failure(new IllegalStateException("the worker is stopping"), List.of());
        }
        Path workspace = open(order);
        List<String> seed = seed(order, workspace);
        int seeded = order.seeded();
        List<String> previous = context.getHeartbeatDetails(String[].class).map(Arrays::asList)
                .orElseGet(() -> carried(order, seed));
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
            Wire.Tagged answer;
            try {
                answer = task.apply(settings(order, workspace, journal));
            } catch (MissionStoppedException e) {
                // the budget is reached (or a price is missing): the workflow, which sees every task's calls, says
                // so; the files as the task left them are saved, as the embedded engine leaves them in place
                answer = new Wire.Tagged(STOPPED, e.getMessage());
            }
            Revision saved = options.workspaces().save(missionId, workspace, done);
            return outcome(journal, seeded, answer, saved);
        } catch (RuntimeException e) {
            throw failure(e, journal.snapshot());
        } finally {
            alive.cancel(false);
            journal.close();
            // the SDK reports the task's end on this thread: an interrupt left pending (the worker stopping, a
            // cancel) would cancel that call, and the answer or journal it carries would be lost with it
            Thread.interrupted();
        }
    }

    /** The answer of a task that stopped because its mission is ending: no answer, only its calls. */
    public static final String STOPPED = "Stopped";

    /** {@return the mission's workspace on this worker at the order's revision} */
    private Path open(TaskOrder order) {
        try {
            return options.workspaces().open(order.mission().missionId(), order.revision());
        } catch (UncheckedIOException e) {
            // no journal of this attempt yet: the workflow's retry continues the one the order carried
            throw failure(e, List.of());
        }
    }

    /** What the task did: its records after the seed, which the workflow has of its own, its answer and revision. */
    private static TaskOutcome outcome(HeartbeatJournal journal, int seeded, Wire.Tagged answer, Revision saved) {
        List<String> records = journal.snapshot();
        return new TaskOutcome(records.subList(Math.min(seeded, records.size()), records.size()), answer, saved);
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

    /**
     * The journal this attempt begins with: the one an earlier attempt left, or the seed. An attempt's failure
     * leaves its journal whole (from the mission's start); a finished task's result, which the workflow set aside
     * because its host had been taken for lost, holds the records after the seed, which go after this one.
     */
    private List<String> carried(TaskOrder order, List<String> seed) {
        List<String> carried = order.carriedFrom().equals(options.hostQueue()) ? order.carried()
                : moved(order.carried());
        if (TaskOrder.beginsWithSeed(carried)) {
            return carried;
        }
        List<String> journal = new ArrayList<>(seed);
        journal.addAll(carried);
        return journal;
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

    /**
     * The failure a task that could not finish reports: worth a retry (with {@code records}, the journal so far, for
     * the workflow's retry on a host's queue), or final.
     */
    private RuntimeException failure(RuntimeException e, List<String> records) {
        Object details = records.toArray(String[]::new);
        if (e instanceof LlmException llm && !llm.isRetryable()) {
            return ApplicationFailure.newNonRetryableFailureWithCause(e.getMessage(), e.getClass().getName(), e,
                    details);
        }
        if (e instanceof LlmException || e instanceof UncheckedIOException) {
            // a passing failure of a model call, or the workspace's store could not be reached (to open or to save
            // it): it may be back for a retry, which answers the task's calls from the journal, after the wait the
            // provider asked for if it asked
            Duration asked = e instanceof LlmException llm ? FailingSpell.askedWait(llm).orElse(null) : null;
            return ApplicationFailure.newFailureWithCauseAndDelay(e.getMessage(), e.getClass().getName(), e, asked,
                    details);
        }
        if (stopping.getAsBoolean() || workerStopped(e)) {
            // not the task's fault: another worker takes it up, from the journal this attempt leaves
            return ApplicationFailure.newFailureWithCause("the worker stopped during the task", "WorkerStopped", e,
                    details);
        }
        // with the journal too: a host taken for lost fails this way when its push is refused, and the workflow
        // then goes on with the task on the new host, answering the calls made here from it
        return ApplicationFailure.newNonRetryableFailureWithCause(e.getClass().getSimpleName() + ": "
                + e.getMessage(), e.getClass().getName(), e, details);
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
        long patience = spec.termsOrNone().callPatienceMillis();
        if (patience > 0) { // the mission's, as its client built it; a spec from before it keeps the worker's
            builder.callPatience(Duration.ofMillis(patience));
        }
        MissionSettings settings = builder.missionId(spec.missionId())
                .goal(spec.goal())
                .workspace(workspace)
                .verifyWith(spec.verifyCommand())
                .verifyTimeout(Duration.ofMillis(spec.verifyTimeoutMillis()))
                .maxWorkerTurns(spec.maxWorkerTurns())
                .budget(new Budget(order.tokensLeft(), Optional.ofNullable(order.dollarsLeft()).map(BigDecimal::new)))
                .journal(journal)
                .build().settings();
        providers.accept(settings.provider());
        return settings;
    }
}
