package dev.orchestrator.benchmarks.limit;

import static dev.orchestrator.benchmarks.limit.LimiterSimulation.stat;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * Issue 15: N worker machines (1, 2, 4, 8), each with its own limiter and retries as a Temporal worker JVM has,
 * sharing one provider key's per-minute quotas, as OpenAI's headers report them (the key's whole quota and what
 * is left of it; a 429 with retry-after past it). Each worker runs the same number of agents, so the fleet's demand
 * grows with it. Prints goodput, 429s and fairness between the workers, for the SDK's limiter alone, for the SDK's
 * limiter with each worker's pacer capped by a lease of the quota (renewed every 10 s, split by demand, as the
 * Temporal module's quota workflow hands them out), and for the fixed concurrency that would split the quota
 * exactly (what a perfect coordinator of concurrency would hand out). Arguments: seeds (5
 * by default), agents per worker (12 by default).
 */
public final class SharedQuotaSimulation {

    private static final int[] WORKERS = {1, 2, 4, 8};

    private SharedQuotaSimulation() {
    }

    /** {@code workers} clients of {@code agents} agents each on one key's quotas, its buckets holding a minute. */
    static Scenario scenario(double rpm, double tpm, int workers, int agents) {
        return new Scenario(String.format(Locale.ROOT, "%.0f RPM / %.0fk TPM", rpm, tpm / 1000), 900, 120, 900, rpm,
                tpm, 60, false, OptionalLong.empty(), List.of(new Scenario.Step(0, 1)),
                List.of(new Scenario.Step(0, agents)), workers, 0, 0, 0);
    }

    public static void main(String[] args) {
        int seeds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int agents = args.length > 1 ? Integer.parseInt(args[1]) : 12;
        System.out.printf(Locale.ROOT, "%d agents per worker, 900 s (measured from 120 s), %d seeds; mean ± "
                + "standard deviation%n", agents, seeds);
        System.out.printf(Locale.ROOT, "%-24s %-7s %-26s %-13s %-11s %-13s %-13s %-13s %-11s %-11s %-7s%n",
                "quota", "workers", "strategy", "goodput", "429s", "429 share", "429s measured", "attempts/ok", "Jain",
                "worst/best", "failed");
        for (double[] quota : new double[][] {{60, 40_000}, {500, 200_000}}) {
            for (int workers : WORKERS) {
                Scenario scenario = scenario(quota[0], quota[1], workers, agents);
                for (Strategy strategy : List.of(Strategy.OURS, Strategy.OURS_LEASED, Strategy.FIXED_IDEAL)) {
                    List<RunResult> runs = new ArrayList<>();
                    for (int seed = 1; seed <= seeds; seed++) {
                        runs.add(new Simulation(scenario, strategy, seed).run());
                    }
                    System.out.printf(Locale.ROOT, "%-24s %-7d %-26s %-13s %-11s %-13s %-13s %-13s %-11s %-11s %-7s%n",
                            scenario.name(), workers, switch (strategy) {
                                case OURS -> "AIMD + pacer per worker";
                                case OURS_LEASED -> "AIMD + pacer + leases";
                                default -> "fixed ideal share";
                            }, stat(runs, RunResult::goodput, "%.3f"),
                            stat(runs, r -> r.rateLimited(), "%.0f"), stat(runs, RunResult::share429, "%.3f"),
                            stat(runs, r -> r.rateLimitedMeasured(), "%.0f"),
                            stat(runs, RunResult::attemptsPerSuccess, "%.2f"), stat(runs, RunResult::jain, "%.3f"),
                            stat(runs, RunResult::worstOverBest, "%.2f"), stat(runs, r -> r.failedCalls(), "%.0f"));
                }
            }
        }
    }
}
