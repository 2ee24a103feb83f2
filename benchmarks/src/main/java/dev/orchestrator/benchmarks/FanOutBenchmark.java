package dev.orchestrator.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Fan-out: N agents each making one model call with 1 s of simulated latency, through this SDK's mission engine
 * and through LangChain4j's {@code parallelBuilder}, in the same JVM. For each it prints the work window against
 * the ideal 1 s, and the live heap per agent while all of them wait in their call.
 *
 * <p>Each measurement is its own run: a timing run is never disturbed by the full collections that a heap run
 * forces while its agents wait, and a heap run holds every call open until its measurement is taken. Before the
 * recorded runs of each framework and size, one run warms the JIT up.
 *
 * <pre>{@code java -cp ... dev.orchestrator.benchmarks.FanOutBenchmark [--workers=1000,5000] [--runs=3]}</pre>
 */
public final class FanOutBenchmark {

    private static final Duration LATENCY = Duration.ofSeconds(1);
    private static final Duration ENTRY_TIMEOUT = Duration.ofMinutes(2);

    private FanOutBenchmark() {
    }

    /** Runs the benchmark and prints every run, then the summary table. */
    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        List<Integer> sizes = Arrays.stream(options.getOrDefault("workers", "1000,5000").split(","))
                .map(String::strip).map(Integer::valueOf).toList();
        int runs = Integer.parseInt(options.getOrDefault("runs", "3"));
        Path workspace = Files.createTempDirectory("fan-out-benchmark");
        try {
            List<FanOut> frameworks = List.of(new OrchestratorFanOut(workspace), new LangChain4jFanOut());
            System.out.printf("Fan-out, one call per agent with %d ms latency; JDK %s, %d CPUs, max heap %d MB%n%n",
                    LATENCY.toMillis(), Runtime.version(), Runtime.getRuntime().availableProcessors(),
                    Runtime.getRuntime().maxMemory() >> 20);
            System.out.printf("%-13s %8s %4s %10s %9s %9s %10s %14s%n", "framework", "agents", "run", "window ms",
                    "ramp ms", "drain ms", "whole ms", "KB per waiter");
            List<Row> rows = new ArrayList<>();
            for (int workers : sizes) {
                for (FanOut framework : frameworks) {
                    timed(framework, workers); // warm-up, not recorded
                    for (int run = 1; run <= runs; run++) {
                        Row row = timed(framework, workers).withBytesPerWaiter(heapPerWaiter(framework, workers));
                        System.out.printf("%-13s %,8d %4d %,10.1f %,9.1f %,9.1f %,10.1f %14.2f%n", row.framework,
                                workers, run, millis(row.timing.window()), millis(row.ramp), millis(row.drain),
                                millis(row.timing.whole()), row.bytesPerWaiter / 1024);
                        rows.add(row);
                    }
                }
            }
            printSummary(rows);
        } finally {
            Files.deleteIfExists(workspace);
        }
    }

    /**
     * One recorded run: its timing, split into the ramp-up (first dispatch to last agent inside its call) and the
     * drain (last call returned to last agent finished), and the heap per waiting agent from its own run.
     */
    private record Row(String framework, int workers, FanOut.Timing timing, Duration ramp, Duration drain,
            double bytesPerWaiter) {

        Row withBytesPerWaiter(double bytes) {
            return new Row(framework, workers, timing, ramp, drain, bytes);
        }
    }

    private static Row timed(FanOut framework, int workers) throws Exception {
        SimulatedCall call = SimulatedCall.timed(LATENCY, workers);
        FanOut.Timing timing = framework.prepare(workers, call).run();
        return new Row(framework.framework(), workers, timing,
                Duration.ofNanos(call.lastEntryNanos() - timing.firstDispatch()),
                Duration.ofNanos(timing.lastFinish() - call.lastReturnNanos()), Double.NaN);
    }

    /** Live heap per agent while all wait in their call, over a baseline taken after preparing, before running. */
    private static double heapPerWaiter(FanOut framework, int workers) throws Exception {
        SimulatedCall call = SimulatedCall.held(LATENCY, workers);
        FanOut.Run run = framework.prepare(workers, call);
        long baseline = HeapMeter.liveBytes();
        CompletableFuture<FanOut.Timing> running = new CompletableFuture<>();
        Thread.ofPlatform().name("fan-out-run").start(() -> {
            try {
                running.complete(run.run());
            } catch (Throwable t) {
                running.completeExceptionally(t);
            }
        });
        long waiting;
        try {
            call.awaitAllInside(ENTRY_TIMEOUT);
            waiting = HeapMeter.liveBytes();
        } finally {
            call.release();
        }
        try {
            running.join();
        } catch (CompletionException e) {
            throw new IllegalStateException(framework.framework() + " failed: " + e.getCause(), e.getCause());
        }
        return (double) (waiting - baseline) / workers;
    }

    private static void printSummary(List<Row> rows) {
        System.out.printf("%nMedian [min–max] of the recorded runs%n");
        System.out.printf("%-13s %8s %28s %24s %24s %24s%n", "framework", "agents", "window ms (ideal 1,000)",
                "ramp ms", "drain ms", "KB per waiting agent");
        Map<String, List<Row>> groups = new LinkedHashMap<>();
        rows.forEach(row -> groups.computeIfAbsent(row.framework + "/" + row.workers, k -> new ArrayList<>())
                .add(row));
        groups.values().forEach(group -> System.out.printf("%-13s %,8d %28s %24s %24s %24s%n",
                group.getFirst().framework, group.getFirst().workers,
                Spread.of(group.stream().map(r -> millis(r.timing.window())).toList()).format(1),
                Spread.of(group.stream().map(r -> millis(r.ramp)).toList()).format(1),
                Spread.of(group.stream().map(r -> millis(r.drain)).toList()).format(1),
                Spread.of(group.stream().map(r -> r.bytesPerWaiter / 1024).toList()).format(2)));
    }

    private static double millis(Duration duration) {
        return duration.toNanos() / 1e6;
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (String arg : args) {
            if (!arg.startsWith("--") || !arg.contains("=")) {
                throw new IllegalArgumentException("unknown argument '" + arg
                        + "': use --workers=1000,5000 and --runs=3");
            }
            options.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
        }
        return options;
    }
}
