package dev.orchestrator.api;

import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * Follows a mission. It gets every event in journal order, after the event is durable, on a thread of the engine,
 * so it should return quickly. An exception it throws is logged and does not affect the mission.
 */
@FunctionalInterface
public interface MissionListener {

    /**
     * Called for every event.
     *
     * @param event what happened
     * @param progress the mission's state right after it
     */
    void onEvent(MissionEvent event, MissionProgress progress);

    /**
     * Called once when a run of a mission begins, on the same thread and before the run's first event: the first
     * run, or a run that resumes a mission from its journal (whose earlier events are not delivered again). A
     * listener that follows a mission across runs (a tracer continuing one trace) learns here which mission it is.
     * Does nothing by default.
     *
     * @param run the mission and how it redacts secrets
     */
    default void onRunStarted(RunStarted run) {
    }

    /**
     * A run of a mission begins.
     *
     * @param missionId the mission's id, the journal's when the run resumes a mission
     * @param eventsReplayed how many events the journal already held: 0 for a new mission
     * @param redaction replaces the values of every credential the mission knows by {@code [redacted]}; a listener
     *     that exports text the mission did not redact itself (a model's prompt, a goal) passes it through this
     */
    record RunStarted(String missionId, long eventsReplayed, UnaryOperator<String> redaction) {
        /** Checks the fields are present. */
        public RunStarted {
            Objects.requireNonNull(missionId, "missionId");
            Objects.requireNonNull(redaction, "redaction");
        }
    }
}
