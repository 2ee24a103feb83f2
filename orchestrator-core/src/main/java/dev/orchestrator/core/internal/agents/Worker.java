package dev.orchestrator.core.internal.agents;

import dev.orchestrator.api.Agent;
import dev.orchestrator.api.AgentContext;
import dev.orchestrator.api.AgentResult;
import dev.orchestrator.api.Task;
import java.util.Map;

/** The built-in Worker: a tool-calling loop on one todo, done when the model answers without a tool call. */
final class Worker implements Agent {

    private final int maxTurns;

    Worker(int maxTurns) {
        this.maxTurns = maxTurns;
    }

    @Override
    public String role() {
        return WORKER;
    }

    @Override
    public AgentResult act(Task task, AgentContext context) {
        if (!(task instanceof Task.Work work)) {
            throw new IllegalArgumentException("the Worker handles Work tasks, not " + task.getClass().getSimpleName());
        }
        String prompt = Prompts.render("worker-task", Map.of("goal", work.goal(), "id", work.todo().id(),
                "attempt", Integer.toString(work.attempt()), "description", work.todo().description(),
                "files", work.todo().files().isEmpty() ? "(not given)" : String.join(", ", work.todo().files())));
        ToolLoop loop = new ToolLoop(context, Prompts.get("worker-system"), context.tools().specs(), prompt, maxTurns);
        return switch (loop.untilText()) {
            case ToolLoop.TextOutcome.Answered answered -> new AgentResult.Done(answered.text());
            case ToolLoop.TextOutcome.GaveUp gaveUp -> new AgentResult.Failed(gaveUp.reason());
        };
    }
}
