package dev.orchestrator.cli;

import dev.orchestrator.api.Mission;
import dev.orchestrator.core.llm.ModelPrices;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code orchestrator resume DIR}: goes on with a mission from its journal, with the goal, workspace and verify
 * command it started with and the provider and limits given now.
 */
@Command(name = "resume", mixinStandardHelpOptions = true, versionProvider = OrchestratorCli.Version.class,
        description = {"Goes on with a mission from its journal: model and tool calls already recorded are answered "
                + "from it, the rest runs live. A completed mission just shows its result.",
                "The goal, workspace and verify command are the journal's; the provider and limits are this run's."})
final class ResumeCommand extends CliCommand {

    @Parameters(index = "0", paramLabel = "DIR", description = "The mission's workspace or its journal directory.")
    Path dir;

    @Mixin
    MissionOptions mission;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = out();
        MissionView view = MissionJournal.read(new JournalDirectory(dir)).view(ModelPrices.defaults());
        if (view.missionId().isEmpty()) {
            throw new IllegalStateException("the journal of " + dir.toAbsolutePath() + " does not show how the "
                    + "mission started (no MissionStarted event" + (view.events() == 0 ? ", no event at all"
                    : ", only events after a snapshot") + "): run it again with the Java API and its settings");
        }
        Path workspace = Path.of(view.workspace());
        try (ProviderChoice choice = mission.provider()) {
            Mission.Builder builder = Mission.builder();
            if (choice.isScripted()) {
                if (!view.goal().equals(QuickStartScript.GOAL)) {
                    throw new IllegalArgumentException("this mission's goal is not the quick start's, so the scripted "
                            + "provider cannot go on with it: give the provider it ran with" + ranWith(view)
                            + " (--base-url URL --model NAME for an OpenAI-compatible server, or --provider openai "
                            + "or anthropic and its key)");
                }
                QuickStartScript.configure(builder, workspace);
            } else {
                builder.goal(view.goal()).workspace(workspace).verifyWith(view.verifyCommand());
            }
            out.println("Resuming mission " + view.missionId() + ": " + view.events() + " events in its journal.");
            return mission.run(builder, workspace, choice, out);
        }
    }

    /** The providers and models the journal's limiters name (provider, then model), as a user gives them again. */
    private static String ranWith(MissionView view) {
        List<String> limiters = view.limiters().stream().map(MissionView.Limiter::name).distinct().toList();
        return limiters.isEmpty() ? "" : ", " + String.join(" and ", limiters);
    }
}
