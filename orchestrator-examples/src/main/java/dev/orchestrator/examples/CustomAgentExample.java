package dev.orchestrator.examples;

import static dev.orchestrator.core.llm.ScriptedReplies.brief;
import static dev.orchestrator.core.llm.ScriptedReplies.editFile;
import static dev.orchestrator.core.llm.ScriptedReplies.fixes;
import static dev.orchestrator.core.llm.ScriptedReplies.plan;
import static dev.orchestrator.core.llm.ScriptedReplies.text;
import static dev.orchestrator.core.llm.ScriptedReplies.todo;
import static dev.orchestrator.core.llm.ScriptedReplies.writeFile;

import dev.orchestrator.api.Agent;
import dev.orchestrator.api.AgentContext;
import dev.orchestrator.api.AgentResult;
import dev.orchestrator.api.Issue;
import dev.orchestrator.api.Mission;
import dev.orchestrator.api.MissionListener;
import dev.orchestrator.api.MissionResult;
import dev.orchestrator.api.Task;
import dev.orchestrator.cli.ConsoleProgress;
import dev.orchestrator.core.llm.ScriptedProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A user-defined agent replacing the built-in Reviewer: it asks no model, it checks that the verify command passed
 * and that every Java file starts with the project's licence header. Its issues go to the Commander like any
 * review's, and become fix todos.
 *
 * <pre>
 * mvn -q -B install -DskipTests &amp;&amp; mvn -q -pl orchestrator-examples exec:java \
 *     -Dexec.mainClass=dev.orchestrator.examples.CustomAgentExample
 * </pre>
 */
public final class CustomAgentExample {

    static final String HEADER = "// SPDX-License-Identifier: MIT";

    private CustomAgentExample() {
    }

    /** Reviews by rule instead of by model. */
    static final class LicenseHeaderReviewer implements Agent {

        @Override
        public String role() {
            return REVIEWER;
        }

        @Override
        public AgentResult act(Task task, AgentContext context) {
            Task.Review review = (Task.Review) task;
            List<Issue> issues = new ArrayList<>();
            if (!review.verify().passed()) {
                issues.add(new Issue("the verify command failed: " + review.verify().output().strip(), List.of()));
            }
            try (Stream<Path> files = Files.walk(context.workspace().root())) {
                for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                    if (!Files.readString(file).startsWith(HEADER)) {
                        String name = context.workspace().relativize(file);
                        issues.add(new Issue(name + " lacks the licence header '" + HEADER + "' on its first line",
                                List.of(name)));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            context.emit("license review found " + issues.size() + " issues");
            return new AgentResult.Verdict(issues);
        }
    }

    /** Runs the example in a new temporary directory; exits with 2 after one line for a setting, 1 for a failure. */
    public static void main(String[] args) {
        String program = "custom agent example";
        Path workspace = Exits.configured(program, () -> Files.createTempDirectory("orchestrator-custom-agent-"));
        MissionResult result;
        // closed however the run ends: the board's heartbeat thread stops at the mission's last event, and only then
        try (ConsoleProgress board = ConsoleProgress.plain(System.out)) {
            result = Exits.await(Exits.configured(program, () -> mission(workspace, board).start()));
        }
        System.out.println("Outcome: " + result.outcome() + (result.isCompleted() ? "" : " (" + result.reason() + ")"));
        System.out.println("This ran on the scripted provider; the custom Reviewer used no model at all.");
        Exits.exitUnlessCompleted(result);
    }

    static Mission mission(Path workspace, MissionListener listener) {
        String body = "class A {}\n";
        ScriptedProvider provider = ScriptedProvider.builder()
                .onTask(Agent.COMMANDER, "triage", brief("Two classes."))
                .onTask(Agent.PLANNER, "plan", plan(todo("a", "Write A.java").writes("A.java"),
                        todo("b", "Write B.java").writes("B.java")))
                .onTask(Agent.WORKER, "a#1", writeFile("A.java", HEADER + "\n" + body), text("wrote A"))
                .onTask(Agent.WORKER, "b#1", writeFile("B.java", "class B {}\n"), text("wrote B"))
                .onTask(Agent.COMMANDER, "fix-1", fixes(todo("header-b", "Add the licence header to B.java")
                        .writes("B.java")))
                .onTask(Agent.WORKER, "header-b#1", editFile("B.java", "class B", HEADER + "\nclass B"),
                        text("added the header"))
                .build();
        return Mission.builder()
                .goal("Write classes A and B, each with the MIT licence header")
                .workspace(workspace)
                .provider(provider)
                .agent(new LicenseHeaderReviewer())
                .verifyWith("ls A.java B.java")
                .listener(listener)
                .build();
    }
}
