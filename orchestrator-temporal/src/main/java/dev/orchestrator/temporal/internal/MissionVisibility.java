package dev.orchestrator.temporal.internal;

import dev.orchestrator.api.MissionResult.Outcome;
import dev.orchestrator.temporal.MissionSearchAttributes;
import io.temporal.workflow.Workflow;

/** Keeps the mission's state and outcome in its workflow's search attributes, when the mission asked for them. */
final class MissionVisibility {

    static final String TRIAGE = "triage";
    static final String PLANNING = "planning";
    static final String WORKING = "working";
    static final String REVIEWING = "reviewing";
    static final String FINISHED = "finished";

    private final boolean on;
    private String state = "";

    MissionVisibility(boolean on) {
        this.on = on;
    }

    /**
     * Sets the mission's id: the client sets it when it starts the workflow, but a run that continues another starts
     * without it.
     */
    void started(String missionId) {
        if (on) {
            Workflow.upsertTypedSearchAttributes(MissionSearchAttributes.MISSION_ID.valueSet(missionId));
        }
    }

    /** Sets the state, if it changed: one upsert per step, not per event. */
    void state(String next) {
        if (on && !next.equals(state)) {
            state = next;
            Workflow.upsertTypedSearchAttributes(MissionSearchAttributes.STATE.valueSet(next));
        }
    }

    void finished(Outcome outcome) {
        if (on) {
            Workflow.upsertTypedSearchAttributes(MissionSearchAttributes.STATE.valueSet(FINISHED),
                    MissionSearchAttributes.OUTCOME.valueSet(outcome.name()));
        }
    }
}
