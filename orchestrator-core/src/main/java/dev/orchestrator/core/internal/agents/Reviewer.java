package dev.orchestrator.core.internal.agents;

import dev.orchestrator.api.Agent;
import dev.orchestrator.api.AgentContext;
import dev.orchestrator.api.AgentResult;
import dev.orchestrator.api.Task;
import java.util.Map;

/**
 * The built-in Reviewer: reads the verify command's result (the engine ran it, so a reviewer cannot skip it) and
 * lists the open issues as structured data.
 */
final class Reviewer implements Agent {

    private static final int MAX_TURNS = 12;

    private final int contextWindow;

    /** A Reviewer whose model's context window holds {@code contextWindow} tokens. */
    Reviewer(int contextWindow) {
        this.contextWindow = contextWindow;
    }

    @Override
    public String role() {
        return REVIEWER;
    }

    @Override
    public AgentResult act(Task task, AgentContext context) {
        if (!(task instanceof Task.Review review)) {
            throw new IllegalArgumentException("the Reviewer handles Review tasks, not "
                    + task.getClass().getSimpleName());
        }
        String prompt = Prompts.render("reviewer-task", Map.of("goal", review.goal(),
                "iteration", Integer.toString(review.iteration()), "command", review.verify().command(),
                "exit_code", Integer.toString(review.verify().exitCode()),
                "timed_out", review.verify().timedOut() ? " (it timed out)" : "",
                "output", review.verify().output(), "todos", Commander.Lists.todos(review.todos())));
        return new AgentResult.Verdict(ToolLoop.lookThenAnswer(context, "reviewer-system", Answers.REPORT_ISSUES,
                prompt, MAX_TURNS, contextWindow).untilAnswer(Answers.REPORT_ISSUES.name(), Answers::issues));
    }
}
