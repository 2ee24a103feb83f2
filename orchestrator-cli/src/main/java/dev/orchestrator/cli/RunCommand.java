package dev.orchestrator.cli;

import dev.orchestrator.api.Mission;
import dev.orchestrator.core.llm.ModelPrices;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code orchestrator run "<goal>"}: runs a mission in a workspace, with its journal there. */
@Command(name = "run", mixinStandardHelpOptions = true, versionProvider = OrchestratorCli.Version.class,
        description = {"Runs a mission in a workspace; its journal goes to WORKSPACE/.orchestrator, so a stopped "
                + "mission goes on with `orchestrator resume WORKSPACE`.",
                "With the scripted provider (the default when no key or base URL is set) the offline quick-start "
                + "team runs, whatever the goal says: it writes a small Java library, and javac checks it."})
final class RunCommand extends CliCommand {

    @Mixin
    MissionOptions mission;

    @Parameters(index = "0", arity = "0..1", paramLabel = "GOAL", description = "What the mission should achieve.")
    String goal;

    @Option(names = "--workspace", paramLabel = "DIR", description = "The project directory the agents work in "
            + "(default: the current directory; with the scripted provider, a new temporary directory).")
    Path workspace;

    @Option(names = "--verify", paramLabel = "CMD", description = "The command that checks the work, e.g. "
            + "\"mvn -q test\"; the mission completes only when it passes. Required but with the scripted provider.")
    String verify;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = out();
        try (ProviderChoice choice = mission.provider()) {
            Mission.Builder builder = Mission.builder();
            Path dir;
            if (choice.isScripted()) {
                dir = workspace != null ? Files.createDirectories(workspace)
                        : Files.createTempDirectory("orchestrator-quickstart-");
                QuickStartScript.configure(builder, dir);
                if (goal != null && !goal.equals(QuickStartScript.GOAL) || verify != null) {
                    out.println("The scripted provider runs the offline quick-start team: its goal and verify "
                            + "command stand in for the ones given.");
                }
            } else {
                if (goal == null || goal.isBlank()) {
                    throw new IllegalArgumentException("give the goal: orchestrator run \"what the mission should "
                            + "achieve\" --verify \"<command that checks it>\"");
                }
                if (verify == null || verify.isBlank()) {
                    throw new IllegalArgumentException("give --verify \"<command>\": the project's own check (build "
                            + "and tests), which must pass for the mission to complete");
                }
                dir = workspace != null ? workspace : Path.of("");
                if (!Files.isDirectory(dir)) {
                    throw new IllegalArgumentException("workspace " + dir.toAbsolutePath() + " is not a directory: "
                            + "create it first");
                }
                builder.goal(goal).workspace(dir).verifyWith(verify);
            }
            if (holdsAnything(dir.resolve(MissionOptions.JOURNAL))) {
                refuseAnotherGoal(dir, choice.isScripted() ? QuickStartScript.GOAL : goal);
                // the engine goes on with the journal's mission rather than start a second one over it
                out.println("This workspace has a mission journal (" + MissionOptions.JOURNAL + "): the mission in "
                        + "it goes on, as with `orchestrator resume`. To start anew, move that directory away.");
            }
            return mission.run(builder, dir.toAbsolutePath(), choice, out);
        }
    }

    /**
     * The engine refuses to run a goal over a journal that holds another (it would mix two missions' events), in
     * words of the API; said here first, in the commands' words, before "the mission in it goes on" is printed.
     */
    private static void refuseAnotherGoal(Path workspace, String goal) {
        MissionView journal = MissionJournal.read(new JournalDirectory(workspace)).view(ModelPrices.defaults());
        if (!journal.missionId().isEmpty() && !journal.goal().equals(goal)) {
            Path absolute = workspace.toAbsolutePath();
            throw new IllegalArgumentException("the journal in " + absolute.resolve(MissionOptions.JOURNAL)
                    + " holds another mission, with the goal '" + journal.goal() + "' (" + (journal.completed()
                    ? "completed" : "not completed") + "): go on with it with `orchestrator resume " + absolute
                    + "`, or move that directory away to run this goal here");
        }
    }

    /** An empty journal directory (made ready by hand, or by a watcher) holds no mission to go on with. */
    private static boolean holdsAnything(Path journal) throws IOException {
        if (!Files.isDirectory(journal)) {
            return false;
        }
        try (Stream<Path> files = Files.list(journal)) {
            return files.findAny().isPresent();
        }
    }
}
