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

    /** {@return the mission's events from index {@code from} on (0 for all), as {@link Wire#event} writes them} */
    @QueryMethod
    List<String> events(int from);

    /** Ends the mission as cancelled, with {@code reason}, at its next step. */
    @SignalMethod
    void cancel(String reason);

    /**
     * How a mission ended.
     *
     * @param result its {@link dev.orchestrator.api.MissionResult}, as {@link Wire#result} writes it
     * @param events how many events it recorded, the last its end
     */
    record MissionEnd(String result, int events) {
    }
}
