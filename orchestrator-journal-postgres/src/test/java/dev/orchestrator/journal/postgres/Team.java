package dev.orchestrator.journal.postgres;

import static dev.orchestrator.core.llm.ScriptedReplies.brief;
import static dev.orchestrator.core.llm.ScriptedReplies.editFile;
import static dev.orchestrator.core.llm.ScriptedReplies.fixes;
import static dev.orchestrator.core.llm.ScriptedReplies.issue;
import static dev.orchestrator.core.llm.ScriptedReplies.issues;
import static dev.orchestrator.core.llm.ScriptedReplies.plan;
import static dev.orchestrator.core.llm.ScriptedReplies.readFile;
import static dev.orchestrator.core.llm.ScriptedReplies.text;
import static dev.orchestrator.core.llm.ScriptedReplies.todo;
import static dev.orchestrator.core.llm.ScriptedReplies.writeFile;

import dev.orchestrator.api.Agent;
import dev.orchestrator.api.ChatRequest;
import dev.orchestrator.api.ChatResponse;
import dev.orchestrator.api.LlmProvider;
import dev.orchestrator.api.Journal;
import dev.orchestrator.api.Message;
import dev.orchestrator.api.Mission;
import dev.orchestrator.api.MissionResult;
import dev.orchestrator.core.llm.ScriptedProvider;
import dev.orchestrator.core.llm.ScriptedReplies.PlannedTodo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Stream;

/** The scripted teams and missions of these tests. */
final class Team {

    /** The todos of {@link #manyFiles}. */
    static final int FILES = 40;
    /** The workers of {@link #manyFiles} at once, so at most this many calls are lost at a crash. */
    static final int MAX_PARALLEL = 4;

    private Team() {
    }

    /** Three todos, the third after the first two, and a verify that fails until a fix todo corrects b.txt. */
    static ScriptedProvider threeFiles() {
        return ScriptedProvider.builder()
                .onTask(Agent.COMMANDER, "triage", brief("Keep it small."))
                .onTask(Agent.PLANNER, "plan", plan(todo("a", "write a"), todo("b", "write b"),
                        todo("c", "write c").dependsOn("a", "b")))
                .onTask(Agent.WORKER, "a#1", writeFile("a.txt", "A"), readFile("a.txt"), text("a"))
                .onTask(Agent.WORKER, "b#1", writeFile("b.txt", "wrong"), text("b"))
                .onTask(Agent.WORKER, "c#1", writeFile("c.txt", "C"), text("c"))
                .on(role(Agent.REVIEWER).and(firstMessageContains("exited with 0")), issues())
                .onRole(Agent.REVIEWER, issues(issue("b is wrong")))
                .onTask(Agent.COMMANDER, "fix-1", fixes(todo("fix-b", "make b right")))
                .onTask(Agent.WORKER, "fix-b#1", editFile("b.txt", "wrong", "B"), text("fixed b"))
                .build();
    }

    /** {@link #threeFiles}'s mission on {@code journal}. */
    static MissionResult runThreeFiles(Path workspace, ScriptedProvider provider, Journal journal) {
        return Mission.builder().goal("three files").workspace(workspace).provider(provider)
                .verifyWith("grep -q B b.txt && test -f c.txt").journal(journal).build().run();
    }

    /** {@value #FILES} independent todos, each written twice by its Worker, with {@code latency} per call. */
    static ScriptedProvider manyFiles(Duration latency) {
        PlannedTodo[] todos = new PlannedTodo[FILES];
        ScriptedProvider.Builder script = ScriptedProvider.builder().latency(latency)
                .onTask(Agent.COMMANDER, "triage", brief("Keep it small."));
        for (int i = 1; i <= FILES; i++) {
            todos[i - 1] = todo("f" + i, "write f" + i);
            script.onTask(Agent.WORKER, "f" + i + "#1", writeFile("f" + i + ".txt", "first draft " + i),
                    writeFile("f" + i + ".txt", "file " + i), text("wrote f" + i));
        }
        return script.onTask(Agent.PLANNER, "plan", plan(todos)).onRole(Agent.REVIEWER, issues()).build();
    }

    /** {@link #manyFiles}'s mission on {@code journal}. */
    static Mission manyFilesMission(Path workspace, LlmProvider provider, Journal journal) {
        return Mission.builder().goal("forty files").workspace(workspace).provider(provider)
                .verifyWith("test -f f" + FILES + ".txt").maxParallelWorkers(MAX_PARALLEL).journal(journal).build();
    }

    /** One todo that writes {@code name}. */
    static ScriptedProvider oneFile(String name) {
        return ScriptedProvider.builder()
                .onTask(Agent.COMMANDER, "triage", brief("One file."))
                .onTask(Agent.PLANNER, "plan", plan(todo("t1", "write " + name)))
                .onTask(Agent.WORKER, "t1#1", writeFile(name, "content of " + name), text("wrote " + name))
                .onRole(Agent.REVIEWER, issues())
                .build();
    }

    /** {@code provider}, telling {@code beforeEach} of each call before it makes it. */
    static LlmProvider watched(LlmProvider provider, Consumer<ChatRequest> beforeEach) {
        return new LlmProvider() {
            @Override
            public String name() {
                return provider.name();
            }

            @Override
            public String defaultModel() {
                return provider.defaultModel();
            }

            @Override
            public ChatResponse chat(ChatRequest request) {
                beforeEach.accept(request);
                return provider.chat(request);
            }
        };
    }

    static Predicate<ChatRequest> role(String role) {
        return request -> request.metadata(ChatRequest.ROLE).filter(role::equals).isPresent();
    }

    static Predicate<ChatRequest> firstMessageContains(String text) {
        return request -> request.messages().getFirst() instanceof Message.User user && user.text().contains(text);
    }

    /** The files directly in {@code workspace}, by name, with their contents. */
    static Map<String, String> files(Path workspace) {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> paths = Files.list(workspace)) {
            for (Path path : paths.toList()) {
                files.put(path.getFileName().toString(), Files.readString(path));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }
}
