package dev.orchestrator.temporal.internal;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.util.List;

/** A mission as a workflow: the Commander's control loop, deterministic, driven by the activities' results. */
@WorkflowInterface
public interface MissionWorkflow {

    /** {@return runs the mission to its end: its outcome and the reason} */
    @WorkflowMethod
    MissionEnd run(MissionSpec spec);

    /**
     * {@return the mission's events from index {@code from} on (0 for all), as {@link Wire#event} writes them; a run
     * that continued an earlier one has only its own, and says where the earlier run is}
     */
    @QueryMethod
    EventPage events(int from);

    /** Ends the mission as cancelled, with {@code reason}, at its next step. */
    @SignalMethod
    void cancel(String reason);

    /**
     * Events of a mission, as one run of its workflow holds them.
     *
     * @param first the index of this run's first event: the events of the runs before it
     * @param events the events asked for that this run holds, as {@link Wire#event} writes them
     * @param previousRun the id of the run this one continued, or null for the first run
     */
    record EventPage(int first, List<String> events, String previousRun) {

        /** Copies the events. */
        public EventPage {
            events = List.copyOf(events);
        }
    }

    /**
     * How a mission ended.
     *
     * @param result its {@link dev.orchestrator.api.MissionResult}, as {@link Wire#result} writes it
     * @param events how many events it recorded, the last its end
     */
    record MissionEnd(String result, int events) {
    }
}
