package dev.orchestrator.test;

import dev.orchestrator.api.MissionEvent;
import dev.orchestrator.api.MissionListener;
import dev.orchestrator.api.MissionProgress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Keeps every event a mission reports, for {@link MissionAssert}: register it with
 * {@code Mission.builder().listener(recorder)}. Safe to read while the mission runs.
 */
public final class MissionRecorder implements MissionListener {

    private final List<MissionEvent> events = new CopyOnWriteArrayList<>();

    /** Creates an empty recorder. */
    public MissionRecorder() {
    }

    @Override
    public void onEvent(MissionEvent event, MissionProgress progress) {
        events.add(event);
    }

    /** {@return every event so far, in journal order} */
    public List<MissionEvent> events() {
        return List.copyOf(events);
    }

    /**
     * {@return the events of one type so far, in journal order}
     *
     * @param type such as {@code MissionEvent.LlmCallCompleted.class}
     * @param <T> the type
     */
    public <T extends MissionEvent> List<T> events(Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }
}
