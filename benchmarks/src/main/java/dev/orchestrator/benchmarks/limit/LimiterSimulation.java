package dev.orchestrator.benchmarks.limit;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * Runs every scenario of issue 5 with every strategy over several seeds and prints a table of means and standard
 * deviations. Arguments: the number of seeds (10 by default), then optionally a scenario name prefix such as S2.
 */
public final class LimiterSimulation {

    private LimiterSimulation() {
    }

    public static void main(String[] args) {
        int seeds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        String only = args.length > 1 ? args[1] : "";
        System.out.printf(Locale.ROOT, "provider: 120 RPM, 300k TPM, 10 s burst; capacity %.2f calls/s of mean size;"
                + " mean call %.0f tokens, %.1f s; ideal concurrency %d; %d seeds; mean ± standard deviation%n",
                Math.min(120 / 60.0, 300_000 / 60.0 / Workload.MEANS.tokens()),
                Workload.MEANS.tokens(), Workload.MEANS.latencySeconds(),
                new Simulation(Scenarios.steady(), Strategy.FIXED_IDEAL, 0).idealConcurrencyPerClient(), seeds);
        System.out.printf(Locale.ROOT, "%-22s %-34s %-13s %-13s %-13s %-21s %-11s %-8s %-9s%n", "scenario",
                "strategy", "goodput", "attempts/ok", "429 share", "reconverge s (½ / 1)", "Jain", "in pause",
                "failed");
        for (Scenario scenario : Scenarios.all()) {
            if (!scenario.name().startsWith(only)) {
                continue;
            }
            // one client has no one to share with: the leases are SharedQuotaSimulation's
            for (Strategy strategy : EnumSet.complementOf(EnumSet.of(Strategy.OURS_LEASED))) {
                List<RunResult> runs = new ArrayList<>();
                for (int seed = 1; seed <= seeds; seed++) {
                    runs.add(new Simulation(scenario, strategy, seed).run());
                }
                System.out.printf(Locale.ROOT, "%-22s %-34s %-13s %-13s %-13s %-21s %-11s %-8s %-9s%n",
                        scenario.name(), strategy.label, stat(runs, RunResult::goodput, "%.3f"),
                        stat(runs, RunResult::attemptsPerSuccess, "%.2f"), stat(runs, RunResult::share429, "%.3f"),
                        scenario.capacity().size() > 1 ? stat(runs, RunResult::reconvergeDown, "%.0f") + " / "
                                + stat(runs, RunResult::reconvergeUp, "%.0f") : "-",
                        scenario.clients() > 1 ? stat(runs, RunResult::jain, "%.3f") : "-",
                        stat(runs, r -> r.sendsInPause(), "%.0f"), stat(runs, r -> r.failedCalls(), "%.0f"));
            }
        }
    }

    /** Mean ± standard deviation over the runs where the value exists; "never" counts the runs where it did not. */
    static String stat(List<RunResult> runs, ToDoubleFunction<RunResult> metric, String format) {
        double[] values = runs.stream().mapToDouble(metric).filter(v -> !Double.isNaN(v)).toArray();
        int missing = runs.size() - values.length;
        if (values.length == 0) {
            return "never";
        }
        double mean = 0;
        for (double v : values) {
            mean += v;
        }
        mean /= values.length;
        double squares = 0;
        for (double v : values) {
            squares += (v - mean) * (v - mean);
        }
        double sd = values.length > 1 ? Math.sqrt(squares / (values.length - 1)) : 0;
        String text = String.format(Locale.ROOT, format + "±" + format, mean, sd);
        return missing > 0 ? text + " (" + missing + " never)" : text;
    }
}
