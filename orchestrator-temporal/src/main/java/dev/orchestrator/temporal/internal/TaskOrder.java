package dev.orchestrator.temporal.internal;

/**
 * One task for an activity: the mission it belongs to, the role of its agent, the task itself.
 *
 * @param mission the mission
 * @param role the role of the agent
 * @param task the task, tagged (see {@link Wire#task})
 * @param tokensLeft what is left of the mission's token budget
 */
public record TaskOrder(MissionSpec mission, String role, Wire.Tagged task, long tokensLeft) {
}
