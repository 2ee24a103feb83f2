package dev.orchestrator.core.internal.agents;

import dev.orchestrator.api.Agent;
import java.util.List;

/** The four agents every mission has unless the user replaces them. */
public final class BuiltinAgents {

    private BuiltinAgents() {
    }

    /**
     * Commander, Planner, Worker (at most {@code maxWorkerTurns} model calls per attempt) and Reviewer, talking to
     * a model whose context window holds {@code contextWindow} tokens.
     */
    public static List<Agent> create(int maxWorkerTurns, int contextWindow) {
        return List.of(new Commander(contextWindow), new Planner(contextWindow),
                new Worker(maxWorkerTurns, contextWindow), new Reviewer(contextWindow));
    }
}
