package dev.orchestrator.temporal.internal;

import java.util.List;

/**
 * One task for an activity: the mission it belongs to, the role of its agent, the task itself.
 *
 * @param mission the mission
 * @param role the role of the agent
 * @param task the task, tagged (see {@link Wire#task})
 * @param tokensLeft what is left of the mission's token budget
 * @param dollarsLeft what is left of the mission's dollar budget, as a plain decimal, or null for none
 * @param notes the memory notes the mission's agents made so far, which the task's agent reads as the embedded
 *     engine's would (null in an order recorded before there were any)
 */
public record TaskOrder(MissionSpec mission, String role, Wire.Tagged task, long tokensLeft, String dollarsLeft,
        List<String> notes) {
}
