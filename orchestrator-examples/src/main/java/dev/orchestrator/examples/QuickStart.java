package dev.orchestrator.examples;

import dev.orchestrator.api.LlmProvider;
import dev.orchestrator.api.Mission;
import dev.orchestrator.api.MissionHandle;
import dev.orchestrator.api.MissionListener;
import dev.orchestrator.api.MissionResult;
import dev.orchestrator.api.TodoStatus;
import dev.orchestrator.cli.ConsoleProgress;
import dev.orchestrator.cli.ProviderChoice;
import dev.orchestrator.cli.QuickStartScript;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The quick start: a team of agents writes a small Java library in a fresh directory, compiles and checks it,
 * fixes what the check finds, and stops when the check passes.
 *
 * <p>With no API key it runs offline on a scripted model (see {@link QuickStartScript}); the engine, tools and
 * verify command are real either way. The mission keeps a write-ahead journal in the workspace: run it again on
 * the same directory after stopping it (Ctrl-C, a crash) and it resumes without repeating a finished model call.
 *
 * <pre>
 * mvn -q -B install -DskipTests &amp;&amp; mvn -q -pl orchestrator-examples exec:java
 * </pre>
 *
 * <p>(without {@code -B} for {@code exec:java}: in batch mode Maven strips the escape codes that redraw the board)
 */
public final class QuickStart {

    /** The journal lives in the workspace, so running the quick start again on the same directory resumes it. */
    static final String JOURNAL = ".orchestrator";

    private static final String PROGRAM = "quick start";

    private QuickStart() {
    }

    /**
     * Runs the quick start in {@code args[0]}, or in a new temporary directory. Exits with 2 after one line when a
     * setting is wrong (an environment variable, the directory, its journal), with 1 when the mission did not
     * complete.
     */
    public static void main(String[] args) {
        Path workspace = Exits.configured(PROGRAM, () -> args.length > 0 ? Files.createDirectories(Path.of(args[0]))
                : Files.createTempDirectory("orchestrator-quickstart-"));
        MissionResult result;
        boolean scripted;
        try (ProviderChoice choice = Exits.configured(PROGRAM, () -> ProviderChoice.fromEnvironment(System.getenv(),
                () -> QuickStartScript.provider(Duration.ofMillis(150))));
                ConsoleProgress board = ConsoleProgress.toStandardOutput()) {
            System.out.println("Orchestrator quick start in " + workspace);
            System.out.println("Model: " + choice.description());
            System.out.println();
            MissionHandle handle = Exits.configured(PROGRAM, () -> mission(workspace, choice.provider(), board)
                    .start());
            result = Exits.await(handle);
            scripted = choice.isScripted();
        }

        System.out.println();
        // the progress already told why a completed mission completed; why one did not is worth repeating last
        System.out.println("Outcome: " + result.outcome() + (result.isCompleted() ? "" : " (" + result.reason() + ")"));
        for (TodoStatus todo : result.todos()) {
            System.out.printf("  %-8s %-7s %s%n", todo.todo().id(), todo.state(), todo.todo().description());
        }
        System.out.printf("Reviews: %d, model calls' tokens: %,d, time: %d ms%n", result.iterations(),
                result.usage().totalTokens(), result.duration().toMillis());
        System.out.println("The files are in " + workspace + "; the mission's journal is in " + JOURNAL
                + " there. Stop a run at any moment and start it again with that directory as the argument: it "
                + "resumes where it stopped" + (result.isCompleted() ? "." : ", with the settings of the new run "
                + "(a fixed key, a larger budget)."));
        if (scripted) {
            System.out.println();
            System.out.println("This ran on the scripted provider: the model's words were fixed in advance, the rest "
                    + "was real.");
            System.out.println(ProviderChoice.HOW_TO_USE_A_REAL_MODEL);
        }
        Exits.exitUnlessCompleted(result);
    }

    /** The quick-start mission in {@code workspace} on {@code provider}; it writes the verify script there. */
    static Mission mission(Path workspace, LlmProvider provider, MissionListener listener) throws IOException {
        return builder(workspace, provider, listener).journal(workspace.resolve(JOURNAL)).build();
    }

    /** The quick-start mission's settings but its journal; it writes the verify script in {@code workspace}. */
    static Mission.Builder builder(Path workspace, LlmProvider provider, MissionListener listener)
            throws IOException {
        return QuickStartScript.configure(Mission.builder(), workspace).provider(provider).listener(listener);
    }
}
