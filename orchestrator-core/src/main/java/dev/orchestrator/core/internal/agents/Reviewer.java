package dev.orchestrator.core.internal.agents;

import dev.orchestrator.api.Agent;
import dev.orchestrator.api.AgentContext;
import dev.orchestrator.api.AgentResult;
import dev.orchestrator.api.Task;
import dev.orchestrator.api.ToolSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The built-in Reviewer: reads the verify command's result (the engine ran it, so a reviewer cannot skip it) and
 * lists the open issues as structured data.
 */
final class Reviewer implements Agent {

    private static final int MAX_TURNS = 12;

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
        List<ToolSpec> tools = new ArrayList<>(ToolLoop.tools(context, Answers.READ_ONLY_TOOLS));
        tools.add(Answers.REPORT_ISSUES);
        String prompt = Prompts.render("reviewer-task", Map.of("goal", review.goal(),
                "iteration", Integer.toString(review.iteration()), "command", review.verify().command(),
                "exit_code", Integer.toString(review.verify().exitCode()),
                "timed_out", review.verify().timedOut() ? " (it timed out)" : "",
                "output", review.verify().output(), "todos", Commander.Lists.todos(review.todos())));
        return new AgentResult.Verdict(new ToolLoop(context, Prompts.get("reviewer-system"), tools, prompt, MAX_TURNS)
                .untilAnswer("report_issues", Answers::issues));
    }
}
