package dev.orchestrator.temporal.internal;

import dev.orchestrator.temporal.WorkspaceSource.Revision;
import java.util.List;

/**
 * What an activity did: the events its journal recorded (model and tool calls, notes; every attempt's), the
 * answer, and the revision its workspace was saved at.
 *
 * @param events the events, as {@link Wire#event} writes them
 * @param answer the agent's answer (see {@link Wire#answer}), or the verify result's JSON under kind "Verify"
 * @param saved the workspace's revision once the task was done ({@link Revision#NONE} in older histories)
 */
public record TaskOutcome(List<String> events, Wire.Tagged answer, Revision saved) {

    /** Copies the events. */
    public TaskOutcome {
        events = List.copyOf(events);
        saved = saved == null ? Revision.NONE : saved;
    }
}
