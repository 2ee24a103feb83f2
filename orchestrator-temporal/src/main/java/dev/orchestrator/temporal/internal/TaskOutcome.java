package dev.orchestrator.temporal.internal;

import java.util.List;

/**
 * What an activity did: the events its journal recorded (model and tool calls, notes; every attempt's), and the
 * answer.
 *
 * @param events the events, as {@link Wire#event} writes them
 * @param answer the agent's answer (see {@link Wire#answer}), or the verify result's JSON under kind "Verify"
 */
public record TaskOutcome(List<String> events, Wire.Tagged answer) {

    /** Copies the events. */
    public TaskOutcome {
        events = List.copyOf(events);
    }
}
