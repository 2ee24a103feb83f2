package dev.orchestrator.mcp;

import static dev.orchestrator.core.llm.ScriptedReplies.issues;
import static dev.orchestrator.core.llm.ScriptedReplies.oneFileWork;

import dev.orchestrator.api.Agent;
import dev.orchestrator.core.llm.ScriptedProvider;
import java.nio.file.Path;

/** A {@link MissionServer} on the scripted model, started as a child JVM by the tests: its missions write A.txt. */
public final class ScriptedMissionServer {

    public static void main(String[] args) throws InterruptedException {
        ScriptedProvider provider = oneFileWork("A.txt", "a\n").onTask(Agent.REVIEWER, "review-1", issues()).build();
        MissionServer.builder(provider, Path.of(args[0])).build().serveStdio();
    }
}
