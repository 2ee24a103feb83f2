package dev.orchestrator.temporal;

import static dev.orchestrator.core.llm.ScriptedReplies.brief;
import static dev.orchestrator.core.llm.ScriptedReplies.issues;
import static dev.orchestrator.core.llm.ScriptedReplies.plan;
import static dev.orchestrator.core.llm.ScriptedReplies.text;
import static dev.orchestrator.core.llm.ScriptedReplies.todo;
import static dev.orchestrator.core.llm.ScriptedReplies.writeFile;

import dev.orchestrator.api.Agent;
import dev.orchestrator.api.ChatRequest;
import dev.orchestrator.api.ChatResponse;
import dev.orchestrator.api.Mission;
import dev.orchestrator.core.llm.ScriptedProvider;
import dev.orchestrator.core.llm.ScriptedReplies.PlannedTodo;
import java.nio.file.Path;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * A scripted mission of twelve todos, each writing one file: seven at once, then t8 alone (it waits on all seven),
 * then the four that wait on t8; a verify command that checks the twelve files and a review that finds nothing. A
 * test may hold t8's second call: t8 is then the only task under way.
 */
final class TwelveTodos {

    static final String GOAL = "Write twelve files";
    static final String VERIFY = IntStream.rangeClosed(1, 12).mapToObj(i -> "test -f f" + i + ".txt")
            .collect(Collectors.joining(" && "));

    private TwelveTodos() {
    }

    /** The script; {@code secondTurnOfT8} answers t8's second call. */
    static ScriptedProvider script(Function<ChatRequest, ChatResponse> secondTurnOfT8) {
        return script(8, secondTurnOfT8);
    }

    /** The script; {@code secondTurn} answers the second call of todo t{@code held}. */
    static ScriptedProvider script(int held, Function<ChatRequest, ChatResponse> secondTurn) {
        PlannedTodo[] todos = new PlannedTodo[12];
        for (int i = 1; i <= 12; i++) {
            PlannedTodo todo = todo("t" + i, "Write f" + i + ".txt").writes("f" + i + ".txt");
            todos[i - 1] = i == 8 ? todo.dependsOn("t1", "t2", "t3", "t4", "t5", "t6", "t7")
                    : i > 8 ? todo.dependsOn("t8") : todo;
        }
        ScriptedProvider.Builder script = ScriptedProvider.builder()
                .onTask(Agent.COMMANDER, "triage", brief("Twelve files; t8 after the first seven, the rest after t8."))
                .onTask(Agent.PLANNER, "plan", plan(todos))
                .onTask(Agent.REVIEWER, "review-1", issues());
        for (int i = 1; i <= 12; i++) {
            script.onTask(Agent.WORKER, "t" + i + "#1", writeFile("f" + i + ".txt", "file " + i + "\n"),
                    i == held ? secondTurn : text("f" + i + ".txt is written"));
        }
        return script.build();
    }

    static ScriptedProvider script() {
        return script(text("f8.txt is written"));
    }

    /** The mission, as either engine is given it. */
    static Mission.Builder mission(String id, Path workspace, ScriptedProvider provider) {
        return Mission.builder().missionId(id).goal(GOAL).workspace(workspace).provider(provider).verifyWith(VERIFY)
                .maxParallelWorkers(4);
    }
}
