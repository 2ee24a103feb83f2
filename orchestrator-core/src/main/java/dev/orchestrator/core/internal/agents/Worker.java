package dev.orchestrator.core.internal.agents;

import dev.orchestrator.api.Agent;
import dev.orchestrator.api.AgentContext;
import dev.orchestrator.api.AgentResult;
import dev.orchestrator.api.Task;
import dev.orchestrator.api.ToolSpec;
import java.util.List;
import java.util.Map;

/**
 * The built-in Worker: a tool-calling loop on one todo, done when the model answers without a tool call and the
 * answer ended normally (see {@link ToolLoop#untilText()}). The answer becomes the todo's summary, bounded.
 */
final class Worker implements Agent {

    /** The most a todo's summary may take, in characters; the rest is cut with a marker. */
    static final int MAX_SUMMARY_CHARS = 4_000;

    private final int maxTurns;
    private final int contextWindow;
    // every task of the mission passes the same tool list: its copy with remember is made once, not per task
    private volatile Tools tools;

    private record Tools(List<ToolSpec> given, List<ToolSpec> withRemember) {
    }

    Worker(int maxTurns, int contextWindow) {
        this.maxTurns = maxTurns;
        this.contextWindow = contextWindow;
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
        ToolLoop loop = new ToolLoop(context, Prompts.get("worker-system"), withRemember(context.tools().specs()),
                prompt, maxTurns, contextWindow);
        return switch (loop.untilText()) {
            case ToolLoop.TextOutcome.Answered answered -> new AgentResult.Done(Bounded.text(answered.text(),
                    MAX_SUMMARY_CHARS));
            case ToolLoop.TextOutcome.GaveUp gaveUp -> new AgentResult.Failed(gaveUp.reason());
        };
    }

    /** {@code specs} with {@code remember}, as the last task's when they are the same list. */
    private List<ToolSpec> withRemember(List<ToolSpec> specs) {
        Tools last = tools;
        if (last == null || last.given() != specs) {
            last = new Tools(specs, ToolLoop.withRemember(specs));
            tools = last;
        }
        return last.withRemember();
    }
}
