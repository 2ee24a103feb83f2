package dev.orchestrator.cli;

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
import dev.orchestrator.api.Message;
import dev.orchestrator.api.Mission;
import dev.orchestrator.core.llm.ScriptedProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The offline quick-start team: what the scripted model says in the quick start, the words of a model fixed in
 * advance, so the mission runs with no key and no network. Everything else is real: the engine writes the files
 * through its tools, runs {@code javac} and the check as the verify command, and the first verify really fails on a
 * missing semicolon that a fix todo repairs. The examples' quick start and {@code orchestrator run --provider
 * scripted} both run it.
 */
public final class QuickStartScript {

    /** The quick start's goal, which the script answers whatever goal the user gave. */
    public static final String GOAL = "Create a small Java library 'greet' in src/greet: Greeting.of(name) returns "
            + "\"Hello, <Name>!\" with the name trimmed and capitalised (\"World\" when blank), a Main class that "
            + "prints the greeting for its first argument, a check in test/greet/GreetingCheck.java, a README and "
            + "usage docs.";

    /** The files the mission ends with, byte for byte, by their path in the workspace. */
    public static final Map<String, String> FILES;

    static {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("src/greet/Greeting.java", """
                package greet;

                /** Builds greetings. */
                public final class Greeting {
                    private Greeting() {
                    }

                    /** "Hello, Name!" for {@code name}, trimmed and capitalised; "World" when blank. */
                    public static String of(String name) {
                        return "Hello, " + Names.normalize(name) + "!";
                    }
                }
                """);
        files.put("src/greet/Names.java", """
                package greet;

                /** Cleans up the names people type. */
                final class Names {
                    private Names() {
                    }

                    static String normalize(String name) {
                        String trimmed = name == null ? "" : name.strip();
                        if (trimmed.isEmpty()) {
                            return "World";
                        }
                        return Character.toUpperCase(trimmed.charAt(0)) + trimmed.substring(1);
                    }
                }
                """);
        files.put("src/greet/Main.java", """
                package greet;

                /** Prints a greeting for the first argument. */
                public final class Main {
                    public static void main(String[] args) {
                        System.out.println(Greeting.of(args.length > 0 ? args[0] : ""));
                    }
                }
                """);
        files.put("test/greet/GreetingCheck.java", """
                package greet;

                /** Checks Greeting without a test framework; exits with 1 on the first mismatch. */
                public final class GreetingCheck {
                    public static void main(String[] args) {
                        check("ada", "Hello, Ada!");
                        check("  grace ", "Hello, Grace!");
                        check("", "Hello, World!");
                        System.out.println("all 3 checks passed");
                    }

                    private static void check(String name, String expected) {
                        String actual = Greeting.of(name);
                        if (!actual.equals(expected)) {
                            System.out.println("Greeting.of(\\"" + name + "\\") was \\"" + actual + "\\", expected \\""
                                    + expected + "\\"");
                            System.exit(1);
                        }
                    }
                }
                """);
        files.put("README.md", """
                # greet

                A tiny greeting library, written by a team of agents.

                    javac -d out src/greet/*.java && java -cp out greet.Main ada
                """);
        files.put("docs/USAGE.md", """
                # Usage

                `Greeting.of("ada")` returns `Hello, Ada!`; a blank name greets the World.
                """);
        FILES = Collections.unmodifiableMap(files);
    }

    /** The first version of Greeting.java lacks the semicolon after the return statement. */
    private static final String BROKEN_LINE = "return \"Hello, \" + Names.normalize(name) + \"!\"";

    private QuickStartScript() {
    }

    /** The verify command, short to read in the progress: it runs {@link #VERIFY_SCRIPT}. */
    public static final String VERIFY_COMMAND = "sh verify.sh";
    /** The verify script's name in the workspace. */
    public static final String VERIFY_SCRIPT = "verify.sh";

    /**
     * Sets the quick start's goal, verify command and limits on {@code builder}, and writes the verify script into
     * {@code workspace}; the caller adds the provider, the journal and the listener.
     *
     * @param builder the mission's builder
     * @param workspace the mission's workspace
     * @return {@code builder}
     * @throws IOException if the verify script cannot be written
     */
    public static Mission.Builder configure(Mission.Builder builder, Path workspace) throws IOException {
        Files.writeString(workspace.resolve(VERIFY_SCRIPT), verifyScript());
        return builder.goal(GOAL)
                .workspace(workspace)
                .verifyWith(VERIFY_COMMAND)
                .verifyTimeout(Duration.ofMinutes(2))
                .maxIterations(5);
    }

    /**
     * The verify script: compile everything with the JDK that runs this example (which need not be the one on the
     * PATH), then run the check.
     */
    static String verifyScript() {
        String bin = Path.of(System.getProperty("java.home"), "bin").toString();
        return "# the quick start's verify command: compile with the JDK that runs the quick start, run the check\n\""
                + bin + "/javac\" -d out src/greet/*.java test/greet/*.java && \"" + bin
                + "/java\" -cp out greet.GreetingCheck\n";
    }

    /**
     * The scripted model of the quick start.
     *
     * @param latency how long each answer takes, so that a person can watch the board; zero in tests
     * @return a new provider
     */
    public static ScriptedProvider provider(Duration latency) {
        ScriptedProvider.Builder script = ScriptedProvider.builder().latency(latency)
                .onTask(Agent.COMMANDER, "triage", brief("Plain Java 21, no build tool: compile with javac. Greeting "
                        + "and Names first, then Main and the check, which use them. The verify command compiles src "
                        + "and test and runs greet.GreetingCheck."))
                .onTask(Agent.PLANNER, "plan", plan(
                        todo("todo-1", "Write src/greet/Greeting.java").writes("src/greet/Greeting.java"),
                        todo("todo-2", "Write src/greet/Names.java").writes("src/greet/Names.java"),
                        todo("todo-3", "Write src/greet/Main.java").writes("src/greet/Main.java")
                                .dependsOn("todo-1", "todo-2"),
                        todo("todo-4", "Write test/greet/GreetingCheck.java").writes("test/greet/GreetingCheck.java")
                                .dependsOn("todo-1", "todo-2"),
                        todo("todo-5", "Write README.md").writes("README.md"),
                        todo("todo-6", "Write docs/USAGE.md").writes("docs/USAGE.md")));
        int index = 1;
        for (Map.Entry<String, String> file : FILES.entrySet()) {
            String content = index == 1 ? file.getValue().replace(BROKEN_LINE + ";", BROKEN_LINE) : file.getValue();
            script.onTask(Agent.WORKER, "todo-" + index++ + "#1", writeFile(file.getKey(), content),
                    text("Wrote " + file.getKey() + "."));
        }
        return script
                .onTask(Agent.COMMANDER, "fix-1", request -> fixes(todo("fix-1", "Fix the compile error: "
                        + firstError(request)).writes("src/greet/Greeting.java")).apply(request))
                .onTask(Agent.WORKER, "fix-1#1",
                        readFile("src/greet/Greeting.java"),
                        editFile("src/greet/Greeting.java", BROKEN_LINE + "\n", BROKEN_LINE + ";\n"),
                        text("Added the missing semicolon in Greeting.of."))
                .onRole(Agent.REVIEWER, QuickStartScript::review)
                .build();
    }

    /** The scripted Reviewer reads the real verify output in its prompt: no issue when it passed, else its error. */
    private static ChatResponse review(ChatRequest request) {
        return (firstMessage(request).contains("exited with 0") ? issues()
                : issues(issue(firstError(request), "src/greet/Greeting.java"))).apply(request);
    }

    private static String firstError(ChatRequest request) {
        return firstMessage(request).lines().filter(line -> line.contains("error:")).findFirst()
                .map(String::strip).orElse("the verify command failed");
    }

    private static String firstMessage(ChatRequest request) {
        return request.messages().getFirst() instanceof Message.User user ? user.text() : "";
    }
}
