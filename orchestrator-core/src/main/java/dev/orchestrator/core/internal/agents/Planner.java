package dev.orchestrator.core.internal.agents;

import dev.orchestrator.api.Agent;
import dev.orchestrator.api.AgentContext;
import dev.orchestrator.api.AgentResult;
import dev.orchestrator.api.Task;
import java.util.Map;
import java.util.Set;

/** The built-in Planner: turns the goal and brief into todos through a schema-checked tool call. */
final class Planner implements Agent {

    private static final int MAX_TURNS = 16;

    private final int contextWindow;

    /** A Planner whose model's context window holds {@code contextWindow} tokens. */
    Planner(int contextWindow) {
        this.contextWindow = contextWindow;
    }

    @Override
    public String role() {
        return PLANNER;
    }

    @Override
    public AgentResult act(Task task, AgentContext context) {
        if (!(task instanceof Task.Plan plan)) {
            throw new IllegalArgumentException("the Planner handles Plan tasks, not " + task.getClass().getSimpleName());
        }
        String prompt = Prompts.render("planner-task", Map.of("goal", plan.goal(), "brief", plan.brief()));
        return new AgentResult.Plan(ToolLoop.lookThenAnswer(context, "planner-system", Answers.SUBMIT_PLAN, prompt,
                MAX_TURNS, contextWindow).untilAnswer(Answers.SUBMIT_PLAN.name(),
                        json -> Answers.todos(json, Set.of(), false)));
    }
}
