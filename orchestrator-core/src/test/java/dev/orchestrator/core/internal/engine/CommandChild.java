package dev.orchestrator.core.internal.engine;

import static dev.orchestrator.core.internal.engine.Scripts.brief;
import static dev.orchestrator.core.internal.engine.Scripts.noIssues;
import static dev.orchestrator.core.internal.engine.Scripts.quote;
import static dev.orchestrator.core.llm.ScriptedProvider.text;
import static dev.orchestrator.core.llm.ScriptedProvider.toolCall;

import dev.orchestrator.api.Agent;
import dev.orchestrator.api.Mission;
import dev.orchestrator.api.MissionResult;
import dev.orchestrator.core.llm.ScriptedProvider;
import java.nio.file.Path;

/**
 * The child JVM of {@link OrphanTest}: a mission (file journal) whose one Worker runs {@code args[2]} with
 * run_command, then says it is done. The parent kills it while the command runs, then runs it again to resume.
 */
public final class CommandChild {

    private CommandChild() {
    }

    public static void main(String[] args) {
        Path workspace = Path.of(args[0]);
        Path journal = Path.of(args[1]);
        String command = args[2];
        ScriptedProvider provider = ScriptedProvider.builder()
                .onTask(Agent.COMMANDER, "triage", brief())
                .onTask(Agent.PLANNER, "plan", toolCall("submit_plan",
                        "{\"todos\":[{\"id\":\"spawn\",\"description\":\"run the command\"}]}"))
                .onTask(Agent.WORKER, "spawn#1",
                        toolCall("run_command", "{\"command\":" + quote(command) + ",\"timeout_seconds\":1800}"),
                        text("done"))
                .onRole(Agent.REVIEWER, noIssues())
                .build();
        MissionResult result = Mission.builder().goal("leave no orphans").workspace(workspace).provider(provider)
                .verifyWith("true").journal(journal).build().run();
        System.out.println("outcome " + result.outcome());
        System.exit(result.isCompleted() ? 0 : 1);
    }
}
