package dev.orchestrator.benchmarks;

import dev.orchestrator.api.Agent;
import dev.orchestrator.api.ChatRequest;
import dev.orchestrator.api.ChatResponse;
import dev.orchestrator.core.llm.ScriptedProvider;
import java.util.function.Function;

/**
 * The scripted Commander, Planner and Reviewer around a benchmark's Workers: a brief, a plan of independent todos,
 * and a review with nothing open, so the mission completes after one round and only the Workers do anything.
 */
final class ScriptedTeam {

    private ScriptedTeam() {
    }

    /**
     * A script whose plan has {@code todos} independent todos, {@code todo-1} to {@code todo-N}, and whose every
     * Worker call is answered by {@code worker}. The Worker rule comes first: the provider tries rules in order,
     * and Worker calls are the ones measured.
     */
    static ScriptedProvider.Builder script(int todos, Function<ChatRequest, ChatResponse> worker) {
        return ScriptedProvider.builder()
                .onRole(Agent.WORKER, worker)
                .onRole(Agent.COMMANDER, ScriptedProvider.toolCall("write_brief", "{\"brief\":\"Fan out.\"}"))
                .onRole(Agent.PLANNER, ScriptedProvider.toolCall("submit_plan", plan(todos)))
                .onRole(Agent.REVIEWER, ScriptedProvider.toolCall("report_issues", "{\"issues\":[]}"));
    }

    private static String plan(int todos) {
        StringBuilder json = new StringBuilder("{\"todos\":[");
        for (int i = 1; i <= todos; i++) {
            json.append(i > 1 ? "," : "").append("{\"id\":\"todo-").append(i)
                    .append("\",\"description\":\"Answer call ").append(i).append(".\"}");
        }
        return json.append("]}").toString();
    }
}
