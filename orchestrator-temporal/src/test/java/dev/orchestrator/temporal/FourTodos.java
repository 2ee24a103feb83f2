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
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * A scripted mission of four todos (two at once, then the ones that wait on them), a verify command that checks the
 * four files, and a review that finds nothing: the same for the embedded engine and for the workflow.
 */
final class FourTodos {

    static final String GOAL = "Write four files";
    static final String VERIFY = "test -f a.txt && test -f b.txt && test -f c.txt && test -f d.txt";

    private FourTodos() {
    }

    /** The script; {@code firstTurnOfT2} and {@code secondTurnOfT2} answer t2's calls (a test may hold or fail them). */
    static ScriptedProvider script(Function<ChatRequest, ChatResponse> firstTurnOfT2,
            Function<ChatRequest, ChatResponse> secondTurnOfT2) {
        return script(writeFile("a.txt", "A\n"), firstTurnOfT2, secondTurnOfT2);
    }

    /** The script, with t1's first turn too (t1 and t2 start together). */
    static ScriptedProvider script(Function<ChatRequest, ChatResponse> firstTurnOfT1,
            Function<ChatRequest, ChatResponse> firstTurnOfT2, Function<ChatRequest, ChatResponse> secondTurnOfT2) {
        return ScriptedProvider.builder()
                .onTask(Agent.COMMANDER, "triage", brief("Four files, c after a, d after b and c."))
                .onTask(Agent.PLANNER, "plan", plan(todo("t1", "Write a.txt").writes("a.txt"),
                        todo("t2", "Write b.txt").writes("b.txt"),
                        todo("t3", "Write c.txt").writes("c.txt").dependsOn("t1"),
                        todo("t4", "Write d.txt").writes("d.txt").dependsOn("t2", "t3")))
                .onTask(Agent.WORKER, "t1#1", firstTurnOfT1, text("a.txt is written"))
                .onTask(Agent.WORKER, "t2#1", firstTurnOfT2, secondTurnOfT2)
                .onTask(Agent.WORKER, "t3#1", writeFile("c.txt", "C\n"), text("c.txt is written"))
                .onTask(Agent.WORKER, "t4#1", writeFile("d.txt", "D\n"), text("d.txt is written"))
                .onTask(Agent.REVIEWER, "review-1", issues())
                .build();
    }

    static ScriptedProvider script() {
        return script(writesB(), saysBIsWritten());
    }

    static Function<ChatRequest, ChatResponse> writesB() {
        return writeFile("b.txt", "B\n");
    }

    static Function<ChatRequest, ChatResponse> saysBIsWritten() {
        return text("b.txt is written");
    }

    /** The mission, as either engine is given it. */
    static Mission.Builder mission(String id, Path workspace, ScriptedProvider provider) {
        return Mission.builder().missionId(id).goal(GOAL).workspace(workspace).provider(provider).verifyWith(VERIFY)
                .maxParallelWorkers(4);
    }

    /** Every file under {@code root} but the engine's own and git's, by relative path, with its content. */
    static Map<String, String> files(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            Map<String, String> files = new TreeMap<>();
            for (Path path : paths.filter(Files::isRegularFile).toList()) {
                String relative = root.relativize(path).toString();
                if (!relative.startsWith(".orchestrator") && !relative.startsWith(".git/")) {
                    files.put(relative, Files.readString(path));
                }
            }
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
