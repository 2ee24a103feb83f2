package dev.orchestrator.api;

/**
 * A member of the mission's team. The engine gives each {@link Task} to the agent registered for its role; the
 * built-in Commander, Planner, Worker and Reviewer serve unless {@link Mission.Builder#agent(Agent)} registers
 * another agent for the same role. A plan's todo may also name a role of the user's own.
 *
 * <p>Agents are called from many threads at once (one per running todo) and should keep no state between calls:
 * everything they need is in the task and the context, and everything they do goes through the context, so that
 * a resumed mission can replay it.
 */
public interface Agent {

    /** The role that leads the mission: triage of the goal, decisions on review findings. */
    String COMMANDER = "commander";
    /** The role that writes the plan. */
    String PLANNER = "planner";
    /** The role that does todos. */
    String WORKER = "worker";
    /** The role that reviews the work after the verify command ran. */
    String REVIEWER = "reviewer";

    /** {@return the role this agent fills: one of the four above, or a role of the user's own} */
    String role();

    /**
     * Acts on {@code task}. Failures of the work itself are answers ({@link AgentResult.Failed}); an exception
     * means the agent itself broke, and ends the mission as failed with its message.
     *
     * @param task the task
     * @param context the task's context
     * @return the agent's answer, of the kind the task asks for
     */
    AgentResult act(Task task, AgentContext context);
}
