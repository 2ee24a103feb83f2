package dev.orchestrator.temporal;

import dev.orchestrator.api.Mission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * What a worker machine brings to the missions it serves: the model provider, agents and tools (code, so each
 * worker registers them), where the workspaces are, and the task queue it listens on.
 *
 * @param taskQueue the queue the worker takes tasks from
 * @param missions adds the provider, agents, tools and command settings to each mission's builder on this worker
 * @param workspaces where this worker finds each mission's files
 * @param maxConcurrentTasks the most agent tasks this worker runs at once
 * @param runsWorkflows whether this worker runs the missions' control loops
 * @param runsTasks whether this worker runs the missions' agent tasks
 * @param host this worker's name among the hosts of missions: its own queue is {@code taskQueue@host}, where the
 *     tasks of the missions whose workspace it holds come
 * @param stickyTimeout how long a mission's next workflow task waits for this worker, which keeps the workflow in
 *     its cache, before any worker takes it; zero: never (every workflow task replays the history)
 * @param sharedQuota how this worker shares its provider's quota with the others, or empty to pace for the whole
 *     quota on its own
 */
public record MissionWorkerOptions(String taskQueue, UnaryOperator<Mission.Builder> missions,
        WorkspaceSource workspaces, int maxConcurrentTasks, boolean runsWorkflows, boolean runsTasks, String host,
        Duration stickyTimeout, Optional<SharedQuota> sharedQuota) {

    /** The queue missions go to when none is named. */
    public static final String DEFAULT_TASK_QUEUE = "orchestrator-missions";

    /** Checks the settings. */
    public MissionWorkerOptions {
        Objects.requireNonNull(taskQueue, "taskQueue");
        Objects.requireNonNull(missions, "missions");
        Objects.requireNonNull(workspaces, "workspaces");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(stickyTimeout, "stickyTimeout");
        Objects.requireNonNull(sharedQuota, "sharedQuota");
    }

    /** {@return the queue of this worker as a host: the tasks of the missions whose workspace it holds} */
    public String hostQueue() {
        return taskQueue + "@" + host;
    }

    /** {@return a builder} */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link MissionWorkerOptions}; {@link #build()} names every missing setting at once. */
    public static final class Builder {

        private String taskQueue = DEFAULT_TASK_QUEUE;
        private UnaryOperator<Mission.Builder> missions;
        private WorkspaceSource workspaces;
        private int maxConcurrentTasks = 200;
        private boolean runsWorkflows = true;
        private boolean runsTasks = true;
        private String host;
        private Duration stickyTimeout = Duration.ofSeconds(5);
        private SharedQuota sharedQuota;

        private Builder() {
        }

        /**
         * The queue to serve ({@value MissionWorkerOptions#DEFAULT_TASK_QUEUE} by default); give missions the
         * same with {@link StartOptions.Builder#taskQueue(String)}.
         *
         * @param taskQueue the queue's name
         * @return this builder
         */
        public Builder taskQueue(String taskQueue) {
            this.taskQueue = taskQueue;
            return this;
        }

        /**
         * What this worker adds to every mission it serves, as on an embedded mission's builder: at least
         * {@code .provider(...)}, and any {@code .agent(...)}, {@code .tool(...)}, {@code .model(...)}. The goal,
         * workspace, verify command, limits and journal come from the mission and the worker.
         *
         * @param missions adds them to the builder it is given and returns it
         * @return this builder
         */
        public Builder missions(UnaryOperator<Mission.Builder> missions) {
            this.missions = missions;
            return this;
        }

        /**
         * Where the workspaces are on this machine.
         *
         * @param workspaces the source, such as {@link WorkspaceSource#sharedDirectory}
         * @return this builder
         */
        public Builder workspaces(WorkspaceSource workspaces) {
            this.workspaces = workspaces;
            return this;
        }

        /**
         * This worker's name among the hosts of missions, unique among the workers of the queue (by default the
         * machine's name and a random suffix, new with each worker). A worker that restarts under the same name
         * takes back the tasks of the missions it hosted, in the workspaces it left.
         *
         * @param host letters, digits, '.', '_' and '-'
         * @return this builder
         */
        public Builder host(String host) {
            this.host = host;
            return this;
        }

        /**
         * Shares the provider's quota with the other workers through leases ({@link SharedQuota}), instead of
         * each worker pacing for the whole quota the headers show and finding the others' use by 429s. Costs one
         * workflow update per worker every period; a worker that runs workflows serves the quota's workflow.
         *
         * @param sharedQuota {@link SharedQuota#perKey()}, or {@link SharedQuota#named} for the keys of one quota
         * @return this builder
         */
        public Builder sharedQuota(SharedQuota sharedQuota) {
            this.sharedQuota = Objects.requireNonNull(sharedQuota, "sharedQuota");
            return this;
        }

        /**
         * The most agent tasks this worker runs at once (200 by default).
         *
         * @param max from 1
         * @return this builder
         */
        public Builder maxConcurrentTasks(int max) {
            this.maxConcurrentTasks = max;
            return this;
        }

        /**
         * How long a mission's next workflow task waits for this worker, which keeps the mission's workflow in its
         * cache, before any worker takes it (5 s by default, the SDK's). A cluster then gives the workflow of a
         * lost worker to another; the SDK's test service never does, so on it, {@link Duration#ZERO} (no cache
         * affinity: every workflow task replays the history, a cost that grows with it) is what lets a worker
         * that runs workflows be lost.
         *
         * @param timeout zero or more
         * @return this builder
         */
        public Builder stickyTimeout(Duration timeout) {
            this.stickyTimeout = timeout;
            return this;
        }

        /**
         * Makes this worker run agent tasks only, not the missions' control loops: a machine that lends its
         * tools and cores, while others (at least one) coordinate.
         *
         * @return this builder
         */
        public Builder tasksOnly() {
            this.runsWorkflows = false;
            this.runsTasks = true;
            return this;
        }

        /**
         * Makes this worker run the missions' control loops only, not their agent tasks: a small machine that
         * coordinates while task machines come and go.
         *
         * @return this builder
         */
        public Builder workflowsOnly() {
            this.runsWorkflows = true;
            this.runsTasks = false;
            return this;
        }

        /** {@return the options} */
        public MissionWorkerOptions build() {
            List<String> problems = new ArrayList<>();
            if (taskQueue == null || taskQueue.isBlank()) {
                problems.add("taskQueue must name a queue");
            }
            if (missions == null) {
                problems.add("missions(...) must add at least the provider: missions(b -> b.provider(...))");
            }
            if (workspaces == null) {
                problems.add("workspaces(...) must say where the files are, such as "
                        + "WorkspaceSource.sharedDirectory(path)");
            }
            if (maxConcurrentTasks < 1) {
                problems.add("maxConcurrentTasks must be at least 1, was " + maxConcurrentTasks);
            }
            if (stickyTimeout == null || stickyTimeout.isNegative()) {
                problems.add("stickyTimeout must be zero or more, was " + stickyTimeout);
            }
            if (host != null && !host.matches("[A-Za-z0-9._-]+")) {
                problems.add("host must be letters, digits, '.', '_' and '-', was '" + host + "'");
            }
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException(String.join("; ", problems));
            }
            return new MissionWorkerOptions(taskQueue, missions, workspaces, maxConcurrentTasks, runsWorkflows,
                    runsTasks, host != null ? host : defaultHost(), stickyTimeout, Optional.ofNullable(sharedQuota));
        }
    
        private static String defaultHost() {
            String machine;
            try {
                machine = java.net.InetAddress.getLocalHost().getHostName().replaceAll("[^A-Za-z0-9._-]", "-");
            } catch (java.net.UnknownHostException e) {
                machine = "host";
            }
            return machine + "-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        }
    }
}
