package dev.orchestrator.temporal.internal;

import dev.orchestrator.api.MissionEvent;
import dev.orchestrator.temporal.WorkspaceSource.Revision;
import dev.orchestrator.temporal.internal.HostActivities.Host;
import io.temporal.activity.ActivityOptions;
import io.temporal.api.enums.v1.TimeoutType;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.TimeoutFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Consumer;

/**
 * A mission's tasks on the worker that holds its workspace, the pattern of Temporal's file-processing sample: the
 * workflow asks any worker on the shared queue to host the mission ({@link HostActivities}), then sends the tasks to
 * that worker's own queue. A task that waits there longer than the mission's host timeout (its host is gone: a
 * heartbeat timeout retries the task on the same queue, where no one takes it) moves the mission: another worker is
 * asked to host it, rebuilds the workspace at the newest revision a finished task saved, and the task goes on there
 * from the journal its last attempt heartbeated. Workflow code: deterministic, no I/O.
 */
final class HostedTasks implements TaskActivities {

    private final MissionSpec spec;
    private final Consumer<MissionEvent> notes;
    private final HostActivities hosts;
    private final Map<String, TaskActivities> onQueue = new HashMap<>();
    /** The host being asked or asked; null until a task needs one, and again once it is lost. */
    private Promise<Host> host;
    private Revision revision = Revision.NONE;

    /**
     * @param spec the mission
     * @param notes records the mission's notes (which host it moved to)
     */
    HostedTasks(MissionSpec spec, Consumer<MissionEvent> notes) {
        this.spec = spec;
        this.notes = notes;
        this.hosts = Workflow.newActivityStub(HostActivities.class, ActivityOptions.newBuilder()
                .setTaskQueue(spec.taskQueue())
                // a clone of a large repository takes a while; a worker lost meanwhile leaves it to another
                .setStartToCloseTimeout(Duration.ofMinutes(30))
                .setRetryOptions(retries())
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

    @Override
    public TaskOutcome act(TaskOrder order) {
        return onHost(order, TaskActivities::act);
    }

    @Override
    public TaskOutcome verify(TaskOrder order) {
        return onHost(order, TaskActivities::verify);
    }

    /** {@return the newest revision a finished task saved} */
    Revision revision() {
        return revision;
    }

    private TaskOutcome onHost(TaskOrder order, BiFunction<TaskActivities, TaskOrder, TaskOutcome> task) {
        List<String> carried = order.carried();
        while (true) {
            Host at = host();
            try {
                TaskOutcome outcome = task.apply(tasksOn(at), order.at(revision, carried));
                revision = revision.newer(outcome.saved());
                return outcome;
            } catch (ActivityFailure failure) {
                Optional<TimeoutFailure> lost = hostLost(failure);
                if (lost.isEmpty()) {
                    throw failure;
                }
                carried = lastRecords(lost.get()).orElse(carried);
                if (host != null && host.isCompleted() && host.get().equals(at)) {
                    notes.accept(new MissionEvent.AgentNote("", "host", "host " + at.taskQueue() + " is lost: "
                            + "the mission moves to another worker, which rebuilds its workspace at revision "
                            + describe(revision), now()));
                    host = null;
                }
            }
        }
    }

    /** {@return the host, asked for if there is none; tasks that need one at once wait for the same answer} */
    private Host host() {
        if (host == null) {
            host = Async.function(hosts::host, spec.missionId(), revision);
            Host chosen = host.get();
            notes.accept(new MissionEvent.AgentNote("", "host", "hosted on " + chosen.taskQueue()
                    + " at revision " + describe(revision), now()));
            return chosen;
        }
        return host.get();
    }

    private TaskActivities tasksOn(Host at) {
        return onQueue.computeIfAbsent(at.taskQueue(), queue -> Workflow.newActivityStub(TaskActivities.class,
                taskOptions(spec, queue)
                        // a task no one takes from the host's queue in this time: the host is gone
                        .setScheduleToStartTimeout(Duration.ofMillis(spec.hostTimeoutMillis()))
                        .build()));
    }

    /** A task that no worker took from its host's queue in time: the host is lost. */
    private static Optional<TimeoutFailure> hostLost(ActivityFailure failure) {
        return failure.getCause() instanceof TimeoutFailure timeout
                && timeout.getTimeoutType() == TimeoutType.TIMEOUT_TYPE_SCHEDULE_TO_START
                ? Optional.of(timeout) : Optional.empty();
    }

    /** {@return the journal the task's last attempt heartbeated, if it had begun} */
    private static Optional<List<String>> lastRecords(TimeoutFailure timeout) {
        if (timeout.getLastHeartbeatDetails().getSize() == 0) {
            return Optional.empty();
        }
        return Optional.of(Arrays.asList(timeout.getLastHeartbeatDetails().get(String[].class)));
    }

    private static String describe(Revision revision) {
        return revision.id().isEmpty() ? "none (the source's start)" : revision.id();
    }

    private static Instant now() {
        return Instant.ofEpochMilli(Workflow.currentTimeMillis());
    }
}
