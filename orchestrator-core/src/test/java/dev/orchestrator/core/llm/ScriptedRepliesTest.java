package dev.orchestrator.core.llm;

import static dev.orchestrator.core.llm.ScriptedReplies.brief;
import static dev.orchestrator.core.llm.ScriptedReplies.call;
import static dev.orchestrator.core.llm.ScriptedReplies.editFile;
import static dev.orchestrator.core.llm.ScriptedReplies.fixes;
import static dev.orchestrator.core.llm.ScriptedReplies.issue;
import static dev.orchestrator.core.llm.ScriptedReplies.issues;
import static dev.orchestrator.core.llm.ScriptedReplies.plan;
import static dev.orchestrator.core.llm.ScriptedReplies.text;
import static dev.orchestrator.core.llm.ScriptedReplies.todo;
import static dev.orchestrator.core.llm.ScriptedReplies.writeFile;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.orchestrator.api.Agent;
import dev.orchestrator.api.Issue;
import dev.orchestrator.api.Mission;
import dev.orchestrator.api.MissionResult;
import dev.orchestrator.api.Todo;
import dev.orchestrator.api.TodoStatus;
import dev.orchestrator.api.Tool;
import dev.orchestrator.api.ToolArguments;
import dev.orchestrator.api.ToolContext;
import dev.orchestrator.api.ToolResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A mission scripted with typed replies only: the built-in agents read them as they read a model's answers. */
class ScriptedRepliesTest {

    @TempDir
    Path workspace;

    record Greeting(String name, int times) {
    }

    /** A custom tool that records the arguments it got. */
    static final class Greet implements Tool {
        final List<String> received = new CopyOnWriteArrayList<>();

        @Override
        public String name() {
            return "greet";
        }

        @Override
        public String description() {
            return "Greets someone.";
        }

        @Override
        public String inputSchema() {
            return "{\"type\":\"object\",\"properties\":{\"name\":{\"type\":\"string\"},\"times\":{\"type\":\"integer\"}}}";
        }

        @Override
        public ToolResult execute(ToolArguments arguments, ToolContext context) {
            received.add(arguments.string("name") + " x" + arguments.integer("times", 0));
            return ToolResult.ok("greeted");
        }
    }

    @Test
    void aMissionScriptedWithTypedRepliesPlansWorksReviewsAndFixes() throws IOException {
        Greet greet = new Greet();
        ScriptedProvider provider = ScriptedProvider.builder()
                .onTask(Agent.COMMANDER, "triage", brief("Two files; b.txt after a.txt."))
                .onTask(Agent.PLANNER, "plan", plan(
                        todo("a", "Write a.txt").writes("a.txt"),
                        todo("b", "Write b.txt").writes("b.txt").dependsOn("a")))
                .onTask(Agent.WORKER, "a#1", writeFile("a.txt", "A \"quoted\"\n"), call("greet", new Greeting("Ada", 2)),
                        call("greet", Map.of("name", "Grace", "times", 1)), text("wrote a.txt"))
                .onTask(Agent.WORKER, "b#1", writeFile("b.txt", "B?\n"), text("wrote b.txt"))
                .onTask(Agent.REVIEWER, "review-1", issues(issue("b.txt ends with a question mark", "b.txt")))
                .onTask(Agent.COMMANDER, "fix-1", fixes(todo("fix-b", "Drop the question mark").writes("b.txt")))
                .onTask(Agent.WORKER, "fix-b#1", editFile("b.txt", "B?", "B!"), text("fixed"))
                .onTask(Agent.REVIEWER, "review-2", issues())
                .build();

        MissionResult result = Mission.builder()
                .goal("Write a.txt and b.txt")
                .workspace(workspace)
                .provider(provider)
                .tool(greet)
                .verifyWith("test -f a.txt && test -f b.txt")
                .build()
                .run();

        assertEquals(MissionResult.Outcome.COMPLETED, result.outcome(), result.reason());
        assertEquals("A \"quoted\"\n", Files.readString(workspace.resolve("a.txt")));
        assertEquals("B!\n", Files.readString(workspace.resolve("b.txt")));
        assertEquals(List.of("Ada x2", "Grace x1"), greet.received);
        assertEquals(List.of(Todo.of("a", "Write a.txt", List.of("a.txt"), List.of()),
                        Todo.of("b", "Write b.txt", List.of("b.txt"), List.of("a")),
                        Todo.of("fix-b", "Drop the question mark", List.of("b.txt"), List.of())),
                result.todos().stream().map(TodoStatus::todo).toList());
        assertEquals(2, result.iterations());
    }

    @Test
    void anIssueKeepsItsFiles() {
        assertEquals(new Issue("x", List.of("a", "b")), issue("x", "a", "b"));
    }
}
