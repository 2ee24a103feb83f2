package dev.orchestrator.core.internal.agents;

import dev.orchestrator.api.Agent;
import dev.orchestrator.api.AgentContext;
import dev.orchestrator.api.AgentResult;
import dev.orchestrator.api.Task;
import dev.orchestrator.api.TodoStatus;
import dev.orchestrator.api.ToolSpec;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The built-in Commander: the judgment the control loop asks for. It writes the brief from the goal and the
 * project memory, and decides which todos answer a review's findings.
 */
final class Commander implements Agent {

    private static final int MAX_TURNS = 12;

    private final int contextWindow;

    /** A Commander whose model's context window holds {@code contextWindow} tokens. */
    Commander(int contextWindow) {
        this.contextWindow = contextWindow;
    }

    @Override
    public String role() {
        return COMMANDER;
    }

    @Override
    public AgentResult act(Task task, AgentContext context) {
        return switch (task) {
            case Task.Triage triage -> new AgentResult.Brief(loop(context, Answers.WRITE_BRIEF,
                    Prompts.render("commander-triage", Map.of("goal", triage.goal())))
                    .untilAnswer(Answers.WRITE_BRIEF.name(), Answers::brief));
            case Task.Fix fix -> {
                Set<String> existing = fix.todos().stream().map(t -> t.todo().id()).collect(Collectors.toSet());
                String prompt = Prompts.render("commander-fix", Map.of("goal", fix.goal(),
                        "iteration", Integer.toString(fix.iteration()), "command", fix.verify().command(),
                        "exit_code", Integer.toString(fix.verify().exitCode()), "output", fix.verify().output(),
                        "issues", Lists.issues(fix.issues()), "failed", Lists.todos(fix.failed()),
                        "todos", Lists.todos(fix.todos())));
                yield new AgentResult.Plan(loop(context, Answers.PLAN_FIXES, prompt)
                        .untilAnswer(Answers.PLAN_FIXES.name(), json -> Answers.todos(json, existing, true)));
            }
            default -> throw new IllegalArgumentException("the Commander handles Triage and Fix tasks, not "
                    + task.getClass().getSimpleName());
        };
    }

    private ToolLoop loop(AgentContext context, ToolSpec answer, String prompt) {
        return ToolLoop.lookThenAnswer(context, "commander-system", answer, prompt, MAX_TURNS, contextWindow);
    }

    /** Renders todos and issues as Markdown lists for prompts. */
    static final class Lists {
        private Lists() {
        }

        static String todos(List<TodoStatus> todos) {
            return todos.isEmpty() ? "(none)" : todos.stream()
                    .map(t -> "- " + t.todo().id() + " [" + t.state() + "] " + t.todo().description()
                            + (t.summary().isEmpty() ? "" : " — " + t.summary()))
                    .collect(Collectors.joining("\n"));
        }

        static String issues(List<dev.orchestrator.api.Issue> issues) {
            return issues.isEmpty() ? "(none)" : issues.stream()
                    .map(i -> "- " + i.description() + (i.files().isEmpty() ? "" : " (" + String.join(", ", i.files())
                            + ")"))
                    .collect(Collectors.joining("\n"));
        }
    }
}
