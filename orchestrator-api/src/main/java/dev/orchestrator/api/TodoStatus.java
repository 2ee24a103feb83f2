package dev.orchestrator.api;

import java.util.Objects;

/**
 * Where a todo stands.
 *
 * @param todo the todo
 * @param state its state
 * @param attempts how many times it was dispatched
 * @param summary the last attempt's summary or failure reason, empty before it finishes
 */
public record TodoStatus(Todo todo, State state, int attempts, String summary) {

    /** Checks the fields are present. */
    public TodoStatus {
        Objects.requireNonNull(todo, "todo");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(summary, "summary");
    }

    /** The states of a todo. */
    public enum State {
        /** Not started, or waiting for a retry. */
        PENDING,
        /** An agent is working on it, or was when the mission stopped. */
        RUNNING,
        /** Finished successfully. */
        DONE,
        /** The last attempt failed. */
        FAILED,
        /**
         * It failed and the Commander replaced it with other todos, which carry its work: it counts as settled, and
         * the mission completes once its replacements are done.
         */
        REPLACED,
        /**
         * It failed or was dropped and the Commander planned nothing in its place: its work is not done, so the
         * mission cannot complete until a later fix replaces it.
         */
        DROPPED
    }
}
