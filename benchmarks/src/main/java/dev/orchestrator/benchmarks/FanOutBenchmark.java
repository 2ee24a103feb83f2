package dev.orchestrator.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Fan-out: N agents each making one model call with 1 s of simulated latency, through this SDK's mission engine
 * and through LangChain4j's {@code parallelBuilder}, in the same JVM. For each it prints the work window against
 * the ideal 1 s, and the live heap per agent while all of them wait in their call.
 *
 * <p>Besides the window it prints where the time beyond the latency went (ramp-up and tail), the process CPU per
 * agent, and the CPU of the ramp per agent (from the first agent inside its call to the last), which other work on a
 * shared machine disturbs far less than wall time, and the garbage collectors' time in that span, which the ramp's
 * CPU leaves out (the collectors do not run on the threads it counts), and after it (late: in the wait and the tail).
 * Of the tail it prints how late the last call got back from its wait (return lag: its thread waited for a
 * processor while the agents already back did their work after their calls, or a collection ran), and that work's
 * CPU per agent (post-call CPU: from the first call back to the last agent finished).
 * It also prints the bytes allocated in the ramp per agent, and the part of the heap per waiting agent that is its
 * parked stack (the live {@code StackChunk}s of the class histogram).
 *
 * <p>Each measurement is its own run: a timing run is never disturbed by the full collections that a heap run
 * forces while its agents wait, and a heap run holds every call open until its measurement is taken. Before the
 * recorded runs of each framework and size, {@value #WARM_UP_AGENTS} agents warm the JIT up.
 *
 * <p>With {@code --journal-sync-ms=1} the missions journal to a {@link SimulatedSyncJournal} whose every group
 * commit takes that long, and LangChain4j, which has no journal, is left out. With {@code --only=orchestrator} (or
 * {@code --only=langchain4j}) only that framework runs, so that a profile of the JVM holds one framework's work.
 *
 * <pre>{@code
 * java -cp ... dev.orchestrator.benchmarks.FanOutBenchmark [--workers=1000,5000] [--runs=3] [--journal-sync-ms=1]
 *     [--only=orchestrator]
 * }</pre>
 */
public final class FanOutBenchmark {

    private static final Duration LATENCY = Duration.ofSeconds(1);
    private static final Set<String> OPTIONS = Set.of("workers", "runs", "journal-sync-ms", "only");
    private static final Duration ENTRY_TIMEOUT = Duration.ofMinutes(2);
    /**
     * Agents run before the recorded runs of each framework and size, so the JIT has compiled the call path: a
     * parked virtual thread's stack is copied to the heap, and interpreted frames are several times larger than
     * compiled ones, so a cold run overstates the heap per waiting agent as well as the time.
     */
    private static final int WARM_UP_AGENTS = 20_000;

    private FanOutBenchmark() {
    }

    /** Runs the benchmark and prints every run, then the summary table. */
    public static void main(String[] args) throws Exception {
        Map<String, String> options = Options.parse(args, OPTIONS,
                "--workers=1000,5000, --runs=3, --journal-sync-ms=1 and --only=orchestrator");
        List<Integer> sizes = Options.integers(options.getOrDefault("workers", "1000,5000"));
        int runs = Integer.parseInt(options.getOrDefault("runs", "3"));
        Path workspace = Files.createTempDirectory("fan-out-benchmark");
        try {
            List<FanOut> frameworks = only(frameworks(workspace, options), options);
            System.out.printf("Fan-out, one call per agent with %d ms latency; JDK %s, %d CPUs, max heap %d MB%n%n",
                    LATENCY.toMillis(), Runtime.version(), Runtime.getRuntime().availableProcessors(),
                    Runtime.getRuntime().maxMemory() >> 20);
            System.out.printf("%-13s %8s %4s %10s %8s %8s %10s %10s %14s %14s %14s %11s %11s %11s %14s %14s%n",
                    "framework", "agents", "run", "window ms", "ramp ms", "tail ms", "lag ms", "whole ms",
                    "CPU µs/agent", "ramp CPU µs", "post CPU µs", "ramp GC ms", "late GC ms", "ramp KB",
                    "KB per waiter", "stack KB");
            List<Row> rows = new ArrayList<>();
            for (int workers : sizes) {
                for (FanOut framework : frameworks) {
                    for (int warmed = 0; warmed < WARM_UP_AGENTS; warmed += workers) {
                        timed(framework, workers);
                    }
                    for (int run = 1; run <= runs; run++) {
                        Row row = timed(framework, workers).withWaiting(waiting(framework, workers));
                        System.out.printf(
                                "%-13s %,8d %4d %,10.1f %,8.1f %,8.1f %,10.1f %,10.1f %,14.1f %,14.2f %,14.2f %,11d"
                                        + " %,11d %11.2f %14.2f %14.2f%n",
                                row.framework, workers, run, millis(row.timing.window()), millis(row.ramp),
                                millis(row.tail), millis(row.returnLag), millis(row.timing.whole()),
                                row.cpuMicrosPerAgent, row.rampCpuMicrosPerAgent, row.postCallCpuMicrosPerAgent,
                                row.rampGcMillis, row.lateGcMillis,
                                row.rampBytesPerAgent / 1024,
                                row.waiting.bytes() / 1024,
                                row.waiting.stackBytes() / 1024);
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
     * One recorded run. Its window is ramp + latency + tail: the ramp-up runs from the first dispatch to the last
     * agent inside its call, the tail from when that last call was due to return to the last agent finished. The
     * CPU is the whole process's during the framework's whole call, per agent; the ramp CPU the process's from the
     * first agent's entry into its call to the last's, per agent ({@link SimulatedCall#rampCpuNanosPerCaller()}), and
     * the collectors' milliseconds in that span ({@link SimulatedCall#rampCollectionMillis()}) and after it (late:
     * in the wait and the tail), and the bytes allocated in the ramp per agent ({@link
     * SimulatedCall#rampAllocatedBytesPerCaller()}); of the tail, the last call's return lag ({@link
     * SimulatedCall#returnLagNanos()}) and the CPU per agent after the calls ({@link
     * SimulatedCall#postCallCpuNanosPerCaller}); the heap comes from its own run.
     */
    private record Row(String framework, int workers, FanOut.Timing timing, Duration ramp, Duration tail,
            Duration returnLag, double cpuMicrosPerAgent, double rampCpuMicrosPerAgent,
            double postCallCpuMicrosPerAgent, long rampGcMillis, long lateGcMillis, double rampBytesPerAgent,
            Waiting waiting) {

        Row withWaiting(Waiting measured) {
            return new Row(framework, workers, timing, ramp, tail, returnLag, cpuMicrosPerAgent,
                    rampCpuMicrosPerAgent, postCallCpuMicrosPerAgent, rampGcMillis, lateGcMillis, rampBytesPerAgent,
                    measured);
        }
    }

    /** The frameworks to compare: the anchor has no journal, so with a simulated sync only the mission runs. */
    private static List<FanOut> frameworks(Path workspace, Map<String, String> options) {
        return options.containsKey("journal-sync-ms")
                ? List.of(syncing(workspace, Double.parseDouble(options.get("journal-sync-ms"))))
                : List.of(new OrchestratorFanOut(workspace), new LangChain4jFanOut());
    }

    /** The one framework {@code --only} names (its name in the table, any case), or all of them without it. */
    private static List<FanOut> only(List<FanOut> frameworks, Map<String, String> options) {
        if (!options.containsKey("only")) {
            return frameworks;
        }
        String name = options.get("only");
        List<FanOut> chosen = frameworks.stream().filter(f -> f.framework().equalsIgnoreCase(name)).toList();
        if (chosen.isEmpty()) {
            throw new IllegalArgumentException("--only=" + name + " names no framework of this run: use one of "
                    + frameworks.stream().map(FanOut::framework).toList());
        }
        return chosen;
    }

    private static FanOut syncing(Path workspace, double syncMillis) {
        Duration sync = Duration.ofNanos(Math.round(syncMillis * 1e6));
        return new OrchestratorFanOut(workspace, "Orch+sync" + syncMillis, () -> new SimulatedSyncJournal(sync));
    }

    private static Row timed(FanOut framework, int workers) throws Exception {
        SimulatedCall call = SimulatedCall.timed(LATENCY, workers);
        FanOut.Run run = framework.prepare(workers, call);
        long cpuBefore = ProcessCpu.nanos();
        FanOut.Timing timing = run.run();
        double cpuMicros = (ProcessCpu.nanos() - cpuBefore) / 1e3;
        long lateGcMillis = call.collectionMillisSinceLastEntry();
        return new Row(framework.framework(), workers, timing,
                Duration.ofNanos(call.lastEntryNanos() - timing.firstDispatch()),
                Duration.ofNanos(timing.lastFinish() - call.lastEntryNanos()).minus(LATENCY),
                Duration.ofNanos(call.returnLagNanos()), cpuMicros / workers, call.rampCpuNanosPerCaller() / 1e3,
                call.postCallCpuNanosPerCaller(timing.cpuAtLastFinish()) / 1e3, call.rampCollectionMillis(),
                lateGcMillis,
                call.rampAllocatedBytesPerCaller(), Waiting.UNMEASURED);
    }

    /**
     * Live heap per agent while all wait in their call, over a baseline taken after preparing, before running, and
     * the part of it that is their parked stacks.
     */
    private static Waiting waiting(FanOut framework, int workers) throws Exception {
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
        Waiting waiting;
        try {
            call.awaitAllInside(ENTRY_TIMEOUT);
            waiting = Waiting.measure(baseline, workers);
        } finally {
            call.release();
        }
        try {
            running.join();
        } catch (CompletionException e) {
            throw new IllegalStateException(framework.framework() + " failed: " + e.getCause(), e.getCause());
        }
        return waiting;
    }

    private static void printSummary(List<Row> rows) {
        System.out.printf("%nMedian [min–max] of the recorded runs%n");
        System.out.printf("%-13s %8s %28s %24s %24s %24s %24s %24s %24s %24s %24s %24s %24s %28s%n", "framework",
                "agents", "window ms (ideal 1,000)", "ramp ms", "tail ms", "return lag ms", "CPU µs per agent",
                "ramp CPU µs per agent", "post-call CPU µs per agent", "ramp GC ms", "late GC ms",
                "ramp KB per agent", "KB per waiting agent", "stack KB per waiting agent");
        Map<String, List<Row>> groups = new LinkedHashMap<>();
        rows.forEach(row -> groups.computeIfAbsent(row.framework + "/" + row.workers, k -> new ArrayList<>())
                .add(row));
        groups.values().forEach(group -> System.out.printf(
                "%-13s %,8d %28s %24s %24s %24s %24s %24s %24s %24s %24s %24s %24s %28s%n",
                group.getFirst().framework, group.getFirst().workers,
                Spread.of(group.stream().map(r -> millis(r.timing.window())).toList()).format(1),
                Spread.of(group.stream().map(r -> millis(r.ramp)).toList()).format(1),
                Spread.of(group.stream().map(r -> millis(r.tail)).toList()).format(1),
                Spread.of(group.stream().map(r -> millis(r.returnLag)).toList()).format(1),
                Spread.of(group.stream().map(r -> r.cpuMicrosPerAgent).toList()).format(1),
                Spread.of(group.stream().map(r -> r.rampCpuMicrosPerAgent).toList()).format(2),
                Spread.of(group.stream().map(r -> r.postCallCpuMicrosPerAgent).toList()).format(2),
                Spread.of(group.stream().map(r -> (double) r.rampGcMillis).toList()).format(0),
                Spread.of(group.stream().map(r -> (double) r.lateGcMillis).toList()).format(0),
                Spread.of(group.stream().map(r -> r.rampBytesPerAgent / 1024).toList()).format(2),
                Spread.of(group.stream().map(r -> r.waiting.bytes() / 1024).toList()).format(2),
                Spread.of(group.stream().map(r -> r.waiting.stackBytes() / 1024).toList()).format(2)));
    }

    private static double millis(Duration duration) {
        return duration.toNanos() / 1e6;
    }
}
