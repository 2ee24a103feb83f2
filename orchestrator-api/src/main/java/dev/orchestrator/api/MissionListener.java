package dev.orchestrator.api;

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
}
