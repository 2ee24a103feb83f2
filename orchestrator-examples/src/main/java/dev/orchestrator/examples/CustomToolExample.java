package dev.orchestrator.examples;

import static dev.orchestrator.core.llm.ScriptedReplies.brief;
import static dev.orchestrator.core.llm.ScriptedReplies.call;
import static dev.orchestrator.core.llm.ScriptedReplies.issues;
import static dev.orchestrator.core.llm.ScriptedReplies.plan;
import static dev.orchestrator.core.llm.ScriptedReplies.text;
import static dev.orchestrator.core.llm.ScriptedReplies.todo;
import static dev.orchestrator.core.llm.ScriptedReplies.writeFile;

import dev.orchestrator.api.Agent;
import dev.orchestrator.api.Mission;
import dev.orchestrator.api.MissionEvent;
import dev.orchestrator.api.MissionResult;
import dev.orchestrator.api.ToolContext;
import dev.orchestrator.api.ToolException;
import dev.orchestrator.api.ToolResult;
import dev.orchestrator.core.llm.ScriptedProvider;
import dev.orchestrator.core.tools.RecordTool;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A tool of the user's own whose JSON schema is derived from a Java record: {@code count_words} takes
 * {@link CountWords} (a path and, optionally, whether to count lines instead), the model sees the schema the record
 * gives, and each call arrives as a {@code CountWords}. A Worker counts the words of {@code notes.txt} with it and
 * writes the figure to {@code COUNT.md}. Offline.
 *
 * <pre>
 * mvn -q -B install -DskipTests &amp;&amp; mvn -q -pl orchestrator-examples exec:java \
 *     -Dexec.mainClass=dev.orchestrator.examples.CustomToolExample
 * </pre>
 */
public final class CustomToolExample {

    /** The tool's arguments: the schema says {@code path} is a required string, {@code lines} an optional boolean. */
    record CountWords(String path, Optional<Boolean> lines) {
    }

    static final RecordTool<CountWords> COUNT_WORDS = RecordTool.of("count_words",
            "Counts the words (or, with lines: true, the lines) of a text file in the workspace", CountWords.class,
            CustomToolExample::count);

    private CustomToolExample() {
    }

    /** Runs the example in a new temporary directory; exits with 2 after one line for a setting, 1 for a failure. */
    public static void main(String[] args) {
        String program = "custom tool example";
        Path workspace = Exits.configured(program, () -> Files.createTempDirectory("orchestrator-custom-tool-"));
        MissionResult result = Exits.configured(program, () -> run(workspace, System.out));
        Exits.exitUnlessCompleted(result);
    }

    static MissionResult run(Path workspace, PrintStream out) throws IOException {
        Files.writeString(workspace.resolve("notes.txt"), "the quick brown fox\njumps over the lazy dog\n");
        out.println("count_words's schema, derived from the record CountWords: " + COUNT_WORDS.inputSchema());
        ScriptedProvider provider = ScriptedProvider.builder()
                .onTask(Agent.COMMANDER, "triage", brief("Count the words of notes.txt with count_words."))
                .onTask(Agent.PLANNER, "plan", plan(todo("count", "Write the word count of notes.txt to COUNT.md")
                        .writes("COUNT.md")))
                // the scripted model's call is typed too: the record, not hand-written JSON
                .onTask(Agent.WORKER, "count#1", call("count_words", new CountWords("notes.txt", Optional.empty())),
                        writeFile("COUNT.md", "notes.txt: 9 words\n"), text("COUNT.md says 9 words"))
                .onRole(Agent.REVIEWER, issues())
                .build();
        MissionResult result = Mission.builder()
                .goal("Write the word count of notes.txt to COUNT.md")
                .workspace(workspace)
                .provider(provider)
                .tool(COUNT_WORDS)
                .verifyWith("grep -q '9 words' COUNT.md")
                .listener((event, progress) -> {
                    if (event instanceof MissionEvent.ToolCallCompleted done && done.tool().equals("count_words")) {
                        out.println("count_words answered the Worker: " + done.result().content());
                    }
                })
                .build()
                .run();
        out.println("Outcome: " + result.outcome() + (result.isCompleted() ? "" : " (" + result.reason() + ")"));
        return result;
    }

    private static ToolResult count(CountWords args, ToolContext context) {
        boolean lines = args.lines().orElse(false);
        try {
            // resolve() keeps the path inside the workspace, or refuses it with a message for the model
            String text = Files.readString(context.workspace().resolve(args.path()));
            long count = lines ? text.lines().count() : text.isBlank() ? 0 : text.strip().split("\\s+").length;
            return ToolResult.ok(args.path() + ": " + count + (lines ? " lines" : " words"));
        } catch (IOException e) {
            throw new ToolException("cannot read " + args.path() + ": " + e.getMessage());
        }
    }
}
