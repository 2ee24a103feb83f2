package dev.orchestrator.temporal.internal;

import static io.temporal.api.enums.v1.TimeoutType.TIMEOUT_TYPE_SCHEDULE_TO_START;

import dev.orchestrator.api.LlmException;
import dev.orchestrator.api.MissionEvent;
import dev.orchestrator.core.internal.engine.FailingSpell;
import dev.orchestrator.temporal.WorkspaceSource.Revision;
import dev.orchestrator.temporal.internal.HostActivities.Host;
import io.temporal.activity.ActivityCancellationType;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.common.converter.Values;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.TimeoutFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.CompletablePromise;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Consumer;

/**
 * A mission's tasks on the worker that holds its workspace, the pattern of Temporal's file-processing sample: the
 * workflow asks any worker on the shared queue to host the mission ({@link HostActivities}), then sends the tasks to
 * that worker's own queue. The workflow retries a task itself, each attempt continuing the journal the last one
 * left (in its heartbeat, or with its failure): a passing failure after a backoff, a missed heartbeat at once, on
 * the same queue. A task that waits there longer than the mission's host timeout finds the host gone and moves the
 * mission: another worker is asked to host it, rebuilds the workspace at the newest revision a finished task saved,
 * and the task goes on there. A run that continues as new goes on with the host and revision the run before it had
 * ({@link MissionSpec.Chain}), so that it neither rebuilds the workspace nor goes back to an older revision. A
 * task whose model calls keep failing for a passing reason waits and gives up by the embedded engine's rule
 * ({@link FailingSpell}): once its failures in a row would span more than the call patience, it ends the mission.
 * Workflow code: deterministic, no I/O.
 */
final class HostedTasks implements TaskActivities {

    /**
     * The answer's kind of a task that gave up: its model calls kept failing for longer than the call patience. The
     * answer's text is the mission's reason to end.
     */
    static final String GAVE_UP = "GaveUp";

    /** What the message of a task that gave up says to do once the provider is right again. */
    private static final String AFTERWARDS = "start the mission again, which on Temporal begins it anew (or raise"
            + " Mission.Builder.callPatience(...))";

    private final MissionSpec spec;
    private final Consumer<MissionEvent> notes;
    /**
     * Whether the mission's end waits for its tasks to report and records what they did, and a host taken for lost
     * has its late answers set aside (a workflow from before keeps the steps its history recorded).
     */
    private final boolean settles;
    /**
     * The call patience that bounds a task's passing failures in a row, or none (a workflow from before it, a spec
     * without it): such a task is then tried again until the mission ends.
     */
    private final Optional<Duration> patience;
    private final HostActivities hosts;
    private final Map<String, TaskActivities> onQueue = new HashMap<>();
    /** The host being asked or asked; null until a task needs one, and again once it is lost. */
    private Promise<Host> host;
    private Revision revision = Revision.NONE;

    /**
     * @param spec the mission; its chain gives the host and revision a continued run goes on with
     * @param notes records the mission's notes (which host it moved to, a task's model call tried again)
     * @param settles see {@link #settles}
     * @param patience see {@link #patience}
     */
    HostedTasks(MissionSpec spec, Consumer<MissionEvent> notes, boolean settles, Optional<Duration> patience) {
        this.spec = spec;
        this.notes = notes;
        this.settles = settles;
        this.patience = patience;
        MissionSpec.Chain chain = spec.chain();
        if (chain != null && chain.host() != null) {
            CompletablePromise<Host> carried = Workflow.newPromise();
            carried.complete(new Host(chain.host(), null));
            this.host = carried;
        }
        if (chain != null && chain.revision() != null) {
            this.revision = chain.revision();
        }
        this.hosts = Workflow.newActivityStub(HostActivities.class, ActivityOptions.newBuilder()
                .setTaskQueue(spec.taskQueue())
                // a clone of a large repository takes a while; a worker lost meanwhile leaves it to another
                .setStartToCloseTimeout(Duration.ofMinutes(30))
                // a store that cannot be reached for a quarter of a minute is more likely a wrong URL than a blip
                .setRetryOptions(RetryOptions.newBuilder(retries()).setMaximumAttempts(5).build())
                .build());
    }

    /** The options of the missions' task activities on {@code taskQueue}, the shared queue or a host's. */
    static ActivityOptions.Builder taskOptions(MissionSpec spec, String taskQueue) {
        return ActivityOptions.newBuilder()
                .setTaskQueue(taskQueue)
                // a task runs as long as its agent needs; a lost worker shows by its missing heartbeats
                .setStartToCloseTimeout(Duration.ofHours(6))
                .setHeartbeatTimeout(Duration.ofMillis(spec.heartbeatMillis()))
                .setRetryOptions(retries());
    }

    private static RetryOptions retries() {
        return RetryOptions.newBuilder().setInitialInterval(Duration.ofSeconds(1)).setBackoffCoefficient(2)
                .setMaximumInterval(Duration.ofMinutes(1)).build();
    }

    /** {@return the queue of the mission's host, or null if it has none now (none asked yet, or lost)} */
    String hostQueue() {
        return host != null && host.isCompleted() && host.getFailure() == null ? host.get().taskQueue() : null;
    }

    /** {@return the newest revision of the workspace a finished task saved} */
    Revision revision() {
        return revision;
    }

    @Override
    public TaskOutcome act(TaskOrder order) {
        return onHost(order, TaskActivities::act);
    }

    @Override
    public TaskOutcome verify(TaskOrder order) {
        return onHost(order, TaskActivities::verify);
    }

    private TaskOutcome onHost(TaskOrder order, BiFunction<TaskActivities, TaskOrder, TaskOutcome> task) {
        List<String> carried = order.carried();
        String carriedFrom = order.carriedFrom();
        Optional<FailingSpell> spell = patience.map(p -> new FailingSpell(p, AFTERWARDS));
        for (int attempt = 1; ; attempt++) {
            Host at;
            try {
                at = host();
            } catch (ActivityFailure failure) {
                if (settles && ending()) {
                    return stopped(order, carried);
                }
                throw failure;
            }
            try {
                TaskOutcome outcome = task.apply(tasksOn(at), order.at(revision, carried, carriedFrom));
                if (!settles || !lost(at)) {
                    revision = revision.newer(outcome.saved());
                    return outcome;
                }
                // a host taken for lost that finished after all: the mission has moved on without its files, so the
                // task goes on on the new host, its calls answered from what this one recorded
                carried = outcome.events();
                carriedFrom = at.taskQueue();
            } catch (ActivityFailure failure) {
                Optional<List<String>> records = records(failure.getCause());
                if (records.isPresent()) {
                    carried = records.get();
                    carriedFrom = at.taskQueue();
                }
                if (settles && ending()) {
                    // the mission ends: what the task did so far is recorded, as the embedded engine's journal has it
                    return stopped(order, carried);
                }
                if (settles && lost(at)) {
                    // the late failure of a host taken for lost (its push refused, say): the task goes on elsewhere
                    continue;
                }
                switch (failure.getCause()) {
                    case TimeoutFailure timeout when timeout.getTimeoutType() == TIMEOUT_TYPE_SCHEDULE_TO_START ->
                            lose(at);
                    // the host stalled or is gone: again on the same queue, where no one takes it if it is gone
                    case TimeoutFailure timeout -> {
                    }
                    case ApplicationFailure passing when !passing.isNonRetryable() -> {
                        Duration wait;
                        try {
                            wait = waitAfter(passing, attempt, spell);
                        } catch (LlmException.PatienceExhausted exhausted) {
                            return unanswered(order, carried, new Wire.Tagged(GAVE_UP, "agent '" + order.role()
                                    + "' on " + taskId(order) + " gave up: " + exhausted.getMessage()));
                        }
                        if (spell.isPresent() && isModelCall(passing)) {
                            // what the embedded engine's retries tell its listeners; else a client that follows
                            // the mission sees nothing while its provider is down, until the patience runs out
                            notes.accept(new MissionEvent.CallRetried(taskId(order), attempt, wait,
                                    failureName(passing) + ": " + passing.getOriginalMessage(), now()));
                        }
                        try {
                            Workflow.sleep(wait);
                        } catch (CanceledFailure ended) {
                            if (settles) {
                                return stopped(order, carried);
                            }
                            throw ended;
                        }
                    }
                    default -> throw failure;
                }
            }
        }
    }

    /** Whether the mission is ending: the tasks' scope was cancelled (by the client, the deadline or the end). */
    private static boolean ending() {
        return CancellationScope.current().isCancelRequested();
    }

    /** Whether {@code at} is no longer the mission's host: it was taken for lost, and another is asked or chosen. */
    private boolean lost(Host at) {
        return host == null || !host.isCompleted() || host.getFailure() != null || !host.get().equals(at);
    }

    /** The answer of a task under way when the mission ended: none, with the records its attempts made. */
    private static TaskOutcome stopped(TaskOrder order, List<String> carried) {
        return unanswered(order, carried, new Wire.Tagged(TaskActivitiesImpl.STOPPED, "the mission ended"));
    }

    /**
     * The outcome of a task that ends without the agent's answer: {@code why}, with the records its attempts made
     * (those of the journal after its seed, which the workflow has), for the workflow to record.
     */
    private static TaskOutcome unanswered(TaskOrder order, List<String> carried, Wire.Tagged why) {
        List<String> records = TaskOrder.beginsWithSeed(carried)
                ? carried.subList(Math.min(order.seeded(), carried.size()), carried.size()) : carried;
        return new TaskOutcome(records, why, Revision.NONE);
    }

    /**
     * The wait before attempt {@code attempt + 1} after the passing failure {@code passing}: counted in the task's
     * {@code spell} if it is a model call's and the workflow bounds such failures, on workflow time.
     *
     * @throws LlmException.PatienceExhausted if the spell gives up
     */
    private static Duration waitAfter(ApplicationFailure passing, int attempt, Optional<FailingSpell> spell) {
        if (spell.isEmpty() || !isModelCall(passing)) {
            return backoff(attempt);
        }
        return spell.get().failed(TimeUnit.MILLISECONDS.toNanos(Workflow.currentTimeMillis()),
                passing.getOriginalMessage(), 0, Optional.ofNullable(passing.getNextRetryDelay()));
    }

    /** Whether {@code failure} is a model call's (an {@link LlmException}'s), not the workspace's store's, say. */
    private static boolean isModelCall(ApplicationFailure failure) {
        return failure.getType().startsWith(LlmException.class.getName() + "$");
    }

    /** The failure's kind as the embedded engine names it: the {@link LlmException}'s simple name. */
    private static String failureName(ApplicationFailure failure) {
        return failure.getType().substring(failure.getType().lastIndexOf('$') + 1);
    }

    /** The id of the task {@code order} gives, as the embedded engine names it: a todo's with its attempt. */
    private static String taskId(TaskOrder order) {
        return order.task() == null ? "verify" : Wire.task(order.task()).id();
    }

    /** The task's host is gone: the next task asks for another (the first to find it out says so). */
    private void lose(Host at) {
        if (host != null && host.isCompleted() && host.get().equals(at)) {
            notes.accept(new MissionEvent.AgentNote("", "host", "host " + at.taskQueue() + " is lost: the mission "
                    + "moves to another worker, which rebuilds its workspace at revision " + describe(revision),
                    now()));
            host = null;
        }
    }

    /**
     * The wait after a passing failure that {@link FailingSpell} does not count (the workspace's store, a worker
     * stopping; any in a workflow from before the patience): 1 s, doubling, at most a minute.
     */
    private static Duration backoff(int attempt) {
        return Duration.ofMillis(Math.min(60_000L, 1_000L << Math.min(attempt - 1, 6)));
    }

    /** {@return the host, asked for if there is none; tasks that need one at once wait for the same answer} */
    private Host host() {
        if (host == null) {
            host = Async.function(hosts::host, spec.missionId(), revision);
            Host chosen = host.get();
            notes.accept(new MissionEvent.AgentNote("", "host", "hosted on " + chosen.taskQueue()
                    + " at revision " + describe(revision), now()));
            // the host's own revision (a git host's commit that fences off the one before it) is where tasks go on
            revision = revision.newer(chosen.revision());
            return chosen;
        }
        return host.get();
    }

    private TaskActivities tasksOn(Host at) {
        return onQueue.computeIfAbsent(at.taskQueue(), queue -> Workflow.newActivityStub(TaskActivities.class,
                taskOptions(spec, queue)
                        // a task no one takes from the host's queue in this time: the host is gone
                        .setScheduleToStartTimeout(Duration.ofMillis(spec.hostTimeoutMillis()))
                        // the workflow retries, since a retry by the service would wait on a lost host's queue
                        .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
                        // a task cancelled at the mission's end reports its journal, which the end records
                        .setCancellationType(settles ? ActivityCancellationType.WAIT_CANCELLATION_COMPLETED
                                : ActivityCancellationType.TRY_CANCEL)
                        .build()));
    }

    /** {@return the journal a failed attempt left (in its heartbeat, or with its failure), if it had begun one} */
    private static Optional<List<String>> records(Throwable failure) {
        Values details = switch (failure) {
            case TimeoutFailure timeout -> timeout.getLastHeartbeatDetails();
            case ApplicationFailure app -> app.getDetails();
            case CanceledFailure cancelled -> cancelled.getDetails();
            default -> null;
        };
        if (details == null || details.getSize() == 0) {
            return Optional.empty();
        }
        // an attempt that failed before it began a journal (its workspace could not be opened, its worker was
        // stopping) leaves none: the next goes on with the one this one was given
        List<String> records = Arrays.asList(details.get(String[].class));
        return records.isEmpty() ? Optional.empty() : Optional.of(records);
    }

    private static String describe(Revision revision) {
        return revision.id().isEmpty() ? "none (the source's start)" : revision.id();
    }

    private static Instant now() {
        return Instant.ofEpochMilli(Workflow.currentTimeMillis());
    }
}
