package dev.orchestrator.temporal;

import java.time.Duration;
import java.util.Objects;

/**
 * How a mission is started on Temporal.
 *
 * @param taskQueue the queue of the workers that serve it
 * @param heartbeatTimeout how long a task may go without a heartbeat before Temporal gives it to another worker:
 *     how soon a lost machine's work moves
 * @param followEvery how often the handle asks the workflow for new events for the mission's listeners
 * @param hostTimeout how long a task may wait in the queue of the worker that hosts the mission before that worker
 *     is taken for lost and the mission moves to another: longer than tasks wait on a busy host (beyond its
 *     {@link MissionWorkerOptions#maxConcurrentTasks()}), since a host wrongly taken for lost keeps running the tasks
 *     it has
 * @param continueAfterEvents the history length (in events) past which the mission's workflow continues as a new
 *     run, carrying its state, at its next moment with no task under way; it also does where Temporal suggests it
 * @param searchAttributes whether the workflow keeps the mission's id, state and outcome in search attributes
 *     ({@link MissionSearchAttributes}, which the cluster must have registered)
 */
public record StartOptions(String taskQueue, Duration heartbeatTimeout, Duration followEvery, Duration hostTimeout,
        int continueAfterEvents, boolean searchAttributes) {

    /**
     * The default queue, a heartbeat timeout of 30 s, events followed every 500 ms, a host timeout of 2 min, a new
     * run after 10,000 history events (a fifth of the 51,200 at which a server stops a workflow), no search
     * attributes.
     */
    public static final StartOptions DEFAULT = new StartOptions(MissionWorkerOptions.DEFAULT_TASK_QUEUE,
            Duration.ofSeconds(30), Duration.ofMillis(500), Duration.ofMinutes(2), 10_000, false);

    /** Checks the settings. */
    public StartOptions {
        Objects.requireNonNull(taskQueue, "taskQueue");
        if (heartbeatTimeout.toMillis() < 300) {
            throw new IllegalArgumentException("heartbeatTimeout must be at least 300 ms, was " + heartbeatTimeout);
        }
        if (followEvery.isNegative() || followEvery.isZero()) {
            throw new IllegalArgumentException("followEvery must be positive, was " + followEvery);
        }
        if (hostTimeout.toMillis() < 300) {
            throw new IllegalArgumentException("hostTimeout must be at least 300 ms, was " + hostTimeout);
        }
        if (continueAfterEvents < 10) {
            throw new IllegalArgumentException("continueAfterEvents must be at least 10, was " + continueAfterEvents);
        }
    }

    /** {@return a builder that starts from {@link #DEFAULT}} */
    public static Builder builder() {
        return DEFAULT.toBuilder();
    }

    /** {@return a builder that starts from these options} */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Builds {@link StartOptions}; each setting left alone keeps the value it started with. */
    public static final class Builder {

        private String taskQueue;
        private Duration heartbeatTimeout;
        private Duration followEvery;
        private Duration hostTimeout;
        private int continueAfterEvents;
        private boolean searchAttributes;

        private Builder(StartOptions from) {
            this.taskQueue = from.taskQueue;
            this.heartbeatTimeout = from.heartbeatTimeout;
            this.followEvery = from.followEvery;
            this.hostTimeout = from.hostTimeout;
            this.continueAfterEvents = from.continueAfterEvents;
            this.searchAttributes = from.searchAttributes;
        }

        /** Sets {@link StartOptions#taskQueue()}. */
        public Builder taskQueue(String taskQueue) {
            this.taskQueue = taskQueue;
            return this;
        }

        /** Sets {@link StartOptions#heartbeatTimeout()}. */
        public Builder heartbeatTimeout(Duration heartbeatTimeout) {
            this.heartbeatTimeout = heartbeatTimeout;
            return this;
        }

        /** Sets {@link StartOptions#followEvery()}. */
        public Builder followEvery(Duration followEvery) {
            this.followEvery = followEvery;
            return this;
        }

        /** Sets {@link StartOptions#hostTimeout()}. */
        public Builder hostTimeout(Duration hostTimeout) {
            this.hostTimeout = hostTimeout;
            return this;
        }

        /** Sets {@link StartOptions#continueAfterEvents()}. */
        public Builder continueAfterEvents(int continueAfterEvents) {
            this.continueAfterEvents = continueAfterEvents;
            return this;
        }

        /** Sets {@link StartOptions#searchAttributes()}. */
        public Builder searchAttributes(boolean searchAttributes) {
            this.searchAttributes = searchAttributes;
            return this;
        }

        /** {@return the options}, checked as the record's constructor checks them */
        public StartOptions build() {
            return new StartOptions(taskQueue, heartbeatTimeout, followEvery, hostTimeout, continueAfterEvents,
                    searchAttributes);
        }
    }
}
