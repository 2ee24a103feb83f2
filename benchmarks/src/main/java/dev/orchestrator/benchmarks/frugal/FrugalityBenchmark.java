package dev.orchestrator.benchmarks.frugal;

import dev.orchestrator.api.Agent;
import dev.orchestrator.api.Usage;
import dev.orchestrator.benchmarks.frugal.FrugalMission.Figures;
import dev.orchestrator.benchmarks.frugal.FrugalMission.Scale;
import dev.orchestrator.benchmarks.frugal.FrugalMission.Way;
import dev.orchestrator.benchmarks.frugal.PromptCacheMeter.Tally;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/**
 * The seed's "60–80 % less API overhead", measured on a whole simulated mission (issue 10): 20 todos, 10 Workers,
 * files of 3 KB read several times, a build that prints for {@code buildSeconds} (30 by default), a crash after
 * 100 journaled model calls and a resume, run the seed's way ({@link Way#SEED}) and ours, on the real engine with a
 * scripted model billed by {@link PromptCacheMeter}.
 *
 * <pre>{@code java -cp "$CP" dev.orchestrator.benchmarks.frugal.FrugalityBenchmark 30}</pre>
 */
public final class FrugalityBenchmark {

    private FrugalityBenchmark() {
    }

    /** Runs both ways and prints a Markdown table and the goals. */
    public static void main(String[] args) throws Exception {
        int buildSeconds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        Scale scale = Scale.standard(buildSeconds);
        Path root = Files.createTempDirectory("frugality");
        Figures seed = FrugalMission.run(Way.SEED, scale, Files.createDirectory(root.resolve("seed")));
        Figures ours = FrugalMission.run(Way.OURS, scale, Files.createDirectory(root.resolve("ours")));
        System.out.println("(workspaces and journals in " + root + ")");
        System.out.println("| way | provider | LLM calls (Commander / Planner / Worker / Reviewer) | input tokens sent "
                + "| billed input units | output tokens | dollars | wall time | calls repeated after the resume |");
        System.out.println("|---|---|---|---|---|---|---|---|---|");
        for (Figures figures : List.of(seed, ours)) {
            row(figures, "OpenAI " + PromptCacheMeter.OPENAI_MODEL, PromptCacheMeter.OPENAI_MODEL, Tally::openAi);
            row(figures, "Anthropic " + PromptCacheMeter.ANTHROPIC_MODEL, PromptCacheMeter.ANTHROPIC_MODEL,
                    Tally::anthropic);
        }
        System.out.printf("%nCommander calls: %s fewer (goal ≥ 80 %%)%n", less(seed.tally().calls(Agent.COMMANDER),
                ours.tally().calls(Agent.COMMANDER)));
        System.out.printf("All calls: %s fewer%n", less(seed.tally().calls(), ours.tally().calls()));
        for (String model : List.of(PromptCacheMeter.OPENAI_MODEL, PromptCacheMeter.ANTHROPIC_MODEL)) {
            Function<Tally, Usage> usage = model.equals(PromptCacheMeter.OPENAI_MODEL) ? Tally::openAi
                    : Tally::anthropic;
            System.out.printf("%s: billed input units %s fewer (goal ≥ 70 %%), cost %s lower (goal ≥ 60 %%)%n", model,
                    less(Tally.billedUnits(model, usage.apply(seed.tally())),
                            Tally.billedUnits(model, usage.apply(ours.tally()))),
                    less(Tally.dollars(model, usage.apply(seed.tally())),
                            Tally.dollars(model, usage.apply(ours.tally()))));
        }
        // gpt-4o's cached input costs half; newer OpenAI models discount it by 75 % (gpt-4.1) or 90 % (gpt-5.x)
        for (double weight : new double[] {0.25, 0.1}) {
            System.out.printf("OpenAI at a cached price of %.2f of input: billed input units %s fewer%n", weight,
                    less(weighted(seed.tally().openAi(), weight), weighted(ours.tally().openAi(), weight)));
        }
        for (Figures figures : List.of(seed, ours)) {
            System.out.printf("%nWhere the input OpenAI bills goes, %s (tokens sent by part; per turn):%n%n%s",
                    figures.way() == Way.SEED ? "the seed's design" : "ours", figures.openAiBreakdown());
        }
        System.out.printf("%nCalls repeated after the resume: %d (goal 0); same final workspace: %s; outcomes %s / %s%n",
                ours.repeatedAfterResume(), seed.workspace().equals(ours.workspace()) ? "yes" : "NO",
                seed.outcome(), ours.outcome());
    }

    private static void row(Figures figures, String provider, String model, Function<Tally, Usage> wire) {
        Tally tally = figures.tally();
        Usage usage = wire.apply(tally);
        System.out.printf("| %s | %s | %d (%d / %d / %d / %d) | %,d | %,.0f | %,d | $%.4f | %.1f s | %d |%n",
                figures.way() == Way.SEED ? "seed's design" : "ours", provider, tally.calls(),
                tally.calls(Agent.COMMANDER), tally.calls(Agent.PLANNER), tally.calls(Agent.WORKER),
                tally.calls(Agent.REVIEWER), Tally.sent(usage), Tally.billedUnits(model, usage), usage.outputTokens(),
                Tally.dollars(model, usage), figures.wall().toMillis() / 1000.0, figures.repeatedAfterResume());
    }

    private static double weighted(Usage usage, double cachedWeight) {
        return usage.inputTokens() + usage.cacheReadTokens() * cachedWeight;
    }

    private static String less(double before, double after) {
        return String.format("%.0f %%", 100 * (1 - after / before));
    }
}
