package dev.orchestrator.temporal;

import dev.orchestrator.core.internal.limit.LimiterRegistry;
import dev.orchestrator.temporal.internal.HostActivitiesImpl;
import dev.orchestrator.temporal.internal.MissionWorkflowImpl;
import dev.orchestrator.temporal.internal.QuotaLeases;
import dev.orchestrator.temporal.internal.QuotaWorkflowImpl;
import dev.orchestrator.temporal.internal.TaskActivitiesImpl;
import dev.orchestrator.temporal.internal.Wire;
import io.temporal.client.WorkflowClient;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerOptions;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A machine serving missions: it runs their workflows from the shared task queue, takes on missions as their host
 * there, and runs the agent tasks of the missions it hosts from its own queue ({@link
 * MissionWorkerOptions#hostQueue()}), in their workspaces on this machine; with a {@link SharedQuota} it leases its
 * share of the provider's quota. Close it to stop taking tasks and let the running ones finish; {@link #shutdownNow()}
 * stops at once, and Temporal gives the tasks it had to other workers.
 */
public final class MissionWorker implements AutoCloseable {

    private final WorkerFactory factory;
    private final ScheduledExecutorService heartbeats;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final Optional<QuotaLeases> leases;

    MissionWorker(WorkflowClient client, MissionWorkerOptions options) {
        Wire.warmUp();
        this.factory = WorkerFactory.newInstance(client);
        this.heartbeats = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("mission-heartbeats").factory());
        Worker shared = factory.newWorker(options.taskQueue(), WorkerOptions.newBuilder(
                workerOptions(options.maxConcurrentTasks()))
                .setStickyQueueScheduleToStartTimeout(options.stickyTimeout()).build());
        if (options.runsWorkflows()) {
            shared.registerWorkflowImplementationTypes(MissionWorkflowImpl.class, QuotaWorkflowImpl.class);
        }
        this.leases = options.sharedQuota().filter(quota -> options.runsTasks()).map(quota -> new QuotaLeases(client,
                quota, options.host(), options.taskQueue(), LimiterRegistry.shared()));
        if (options.runsTasks()) {
            TaskActivitiesImpl tasks = new TaskActivitiesImpl(options, heartbeats, stopping::get,
                    provider -> leases.ifPresent(quotas -> quotas.watch(provider)));
            // the tasks of missions started before there were hosts still come on the shared queue
            shared.registerActivitiesImplementations(tasks,
                    new HostActivitiesImpl(options.hostQueue(), options.workspaces()));
            factory.newWorker(options.hostQueue(), workerOptions(options.maxConcurrentTasks()))
                    .registerActivitiesImplementations(tasks);
        }
        factory.start();
    }

    /**
     * The worker settings of mission workers. A workflow task encodes every event it records (a model's answer may be
     * large), and on a busy machine a cold one took more than the second Temporal's deadlock detector allows: five.
     */
    static WorkerOptions workerOptions(int maxConcurrentTasks) {
        return WorkerOptions.newBuilder()
                .setMaxConcurrentActivityExecutionSize(maxConcurrentTasks)
                .setDefaultDeadlockDetectionTimeout(5_000)
                .build();
    }

    /** Takes no more tasks, while those under way go on: a machine too busy to take any (for tests). */
    void suspendPolling() {
        factory.suspendPolling();
    }

    /** Stops at once: running tasks are interrupted and go, after their heartbeat timeout, to other workers. */
    public void shutdownNow() {
        stopping.set(true);
        leases.ifPresent(QuotaLeases::close);
        factory.shutdownNow();
        heartbeats.shutdownNow();
        factory.awaitTermination(10, TimeUnit.SECONDS);
    }

    /** Stops taking tasks and waits until the running ones end. */
    @Override
    public void close() {
        stopping.set(true);
        factory.shutdown();
        factory.awaitTermination(1, TimeUnit.HOURS);
        heartbeats.shutdownNow();
        leases.ifPresent(QuotaLeases::close);
    }
}
