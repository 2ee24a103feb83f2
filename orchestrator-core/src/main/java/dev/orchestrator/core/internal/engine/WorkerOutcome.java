package dev.orchestrator.core.internal.engine;

/** How one attempt at a todo ended, as its worker thread reports it to the Commander. */
sealed interface WorkerOutcome {

    String todoId();

    /** The agent answered: done or failed. */
    record Finished(String todoId, int attempt, boolean succeeded, String summary) implements WorkerOutcome {
    }

    /** The attempt was cut short because the mission is stopping; nothing is recorded for it. */
    record Stopped(String todoId) implements WorkerOutcome {
    }
}
