package dev.orchestrator.api;

import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * Follows a mission. It gets every event in journal order, after the event is durable, on a thread of the engine,
 * so it should return quickly. An exception it throws is logged and does not affect the mission. A dispatch wave
 * ({@link MissionEvent.TasksDispatched}) reaches it as one {@link MissionEvent.TaskDispatched} per task.
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
     * Called once for a new mission, on the thread that starts it (the caller of {@code Mission.run()} or {@code
     * start()}), before its first event. What it returns is journaled with {@link MissionEvent.MissionStarted} and
     * handed to the listeners of every run of the mission as {@link RunStarted#context()}, also to a run that
     * resumes it in another process: a listener keeps here what only the starting thread knows and a later run
     * needs (a tracer, the trace the caller was in). The mission's listeners share one map, so each names its
     * keys distinctly (W3C's {@code traceparent}, a prefix of its own); a later listener's value for a key wins.
     * Returns nothing by default.
     *
     * @return the values to keep, small strings: they are in the journal for the mission's lifetime
     */
    default Map<String, String> missionContext() {
        return Map.of();
    }

    /**
     * Called each time events the mission recorded together became durable: for metrics of its journal. Unlike the
     * other methods it runs on the thread that recorded them, right after, so it must be quick and thread-safe (a
     * metrics instrument's {@code record}) and must not block. Does nothing by default.
     *
     * @param events how many events were appended together (one, or a batch such as a plan's dispatches)
     * @param bytes their encoded size, as the journal counts it ({@link Journal#appendedBytes()}): 0 for a journal
     *     that does not encode events
     * @param nanos how long it took from appending them to their being durable, in nanoseconds
     */
    default void onJournalAppended(int events, long bytes, long nanos) {
    }

    /**
     * A run of a mission begins.
     *
     * @param missionId the mission's id, the journal's when the run resumes a mission
     * @param eventsReplayed how many events the journal already held: 0 for a new mission
     * @param redaction replaces the values of every credential the mission knows by {@code [redacted]}; a listener
     *     that exports text the mission did not redact itself (a model's prompt, a goal) passes it through this
     * @param context what the listeners' {@link #missionContext()} returned when the mission started: just now for
     *     a new mission, from its journal for a resumed one
     */
    record RunStarted(String missionId, long eventsReplayed, UnaryOperator<String> redaction,
            Map<String, String> context) {
        /** Checks the fields are present and copies the context. */
        public RunStarted {
            Objects.requireNonNull(missionId, "missionId");
            Objects.requireNonNull(redaction, "redaction");
            context = Map.copyOf(context);
        }
    }
}
