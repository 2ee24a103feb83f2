package dev.orchestrator.core.internal.agents;

import dev.orchestrator.api.Agent;
import java.util.List;

/** The four agents every mission has unless the user replaces them. */
public final class BuiltinAgents {

    private BuiltinAgents() {
    }

    /** Commander, Planner, Worker (at most {@code maxWorkerTurns} model calls per attempt) and Reviewer. */
    public static List<Agent> create(int maxWorkerTurns) {
        return List.of(new Commander(), new Planner(), new Worker(maxWorkerTurns), new Reviewer());
    }
}
