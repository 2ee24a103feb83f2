package dev.orchestrator.core.internal.engine;

import dev.orchestrator.api.LlmException;

/** How one attempt at a todo ended, as its worker thread reports it to the Commander. */
sealed interface WorkerOutcome {

    String todoId();

    /** The agent answered: done or failed. */
    record Finished(String todoId, int attempt, boolean succeeded, String summary) implements WorkerOutcome {
    }

    /** A model call failed for a passing reason, even after its retries: the attempt is put back for later. */
    record Deferred(String todoId, String taskId, String role, LlmException failure) implements WorkerOutcome {
    }

    /** The attempt was cut short because the mission is stopping; nothing is recorded for it. */
    record Stopped(String todoId) implements WorkerOutcome {
    }
}
