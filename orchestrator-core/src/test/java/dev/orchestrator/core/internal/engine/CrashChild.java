package dev.orchestrator.core.internal.engine;

import static dev.orchestrator.core.internal.engine.Scripts.brief;
import static dev.orchestrator.core.internal.engine.Scripts.noIssues;
import static dev.orchestrator.core.internal.engine.Scripts.writeFile;
import static dev.orchestrator.core.llm.ScriptedProvider.text;
import static dev.orchestrator.core.llm.ScriptedProvider.toolCall;

import dev.orchestrator.api.Agent;
import dev.orchestrator.api.ChatRequest;
import dev.orchestrator.api.ChatResponse;
import dev.orchestrator.api.LlmProvider;
import dev.orchestrator.api.Mission;
import dev.orchestrator.api.MissionResult;
import dev.orchestrator.core.llm.ScriptedProvider;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The child JVM of {@link CrashResumeTest}: runs (or resumes) a mission with a file journal on a scripted model with
 * latency, printing {@code call} when each model call starts, so the parent can kill it in the middle of one.
 */
public final class CrashChild {

    static final int TODOS = 40;
    static final int MAX_PARALLEL = 4;

    private CrashChild() {
    }

    public static void main(String[] args) {
        Path workspace = Path.of(args[0]);
        Path journal = Path.of(args[1]);
        Duration latency = Duration.ofMillis(Long.parseLong(args[2]));
        LlmProvider scripted = provider(latency);
        LlmProvider announcing = new LlmProvider() {
            @Override
            public String name() {
                return scripted.name();
            }

            @Override
            public String defaultModel() {
                return scripted.defaultModel();
            }

            @Override
            public ChatResponse chat(ChatRequest request) {
                System.out.println("call " + request.metadata(ChatRequest.TASK).orElse("?"));
                System.out.flush();
                return scripted.chat(request);
            }
        };
        MissionResult result = Mission.builder().goal("forty files").workspace(workspace).provider(announcing)
                .verifyWith("test -f f40.txt").maxParallelWorkers(MAX_PARALLEL).journal(journal).build().run();
        System.out.println("outcome " + result.outcome());
        System.exit(result.isCompleted() ? 0 : 1);
    }

    static ScriptedProvider provider(Duration latency) {
        StringBuilder plan = new StringBuilder("{\"todos\":[");
        ScriptedProvider.Builder script = ScriptedProvider.builder().latency(latency)
                .onTask(Agent.COMMANDER, "triage", brief());
        for (int i = 1; i <= TODOS; i++) {
            plan.append(i > 1 ? "," : "").append("{\"id\":\"f").append(i).append("\",\"description\":\"write f")
                    .append(i).append("\"}");
            script.onTask(Agent.WORKER, "f" + i + "#1",
                    toolCall("write_file", writeFile("f" + i + ".txt", "first draft " + i)),
                    toolCall("write_file", writeFile("f" + i + ".txt", "file " + i)),
                    text("wrote f" + i));
        }
        return script.onTask(Agent.PLANNER, "plan", toolCall("submit_plan", plan.append("]}").toString()))
                .onRole(Agent.REVIEWER, noIssues())
                .build();
    }
}
