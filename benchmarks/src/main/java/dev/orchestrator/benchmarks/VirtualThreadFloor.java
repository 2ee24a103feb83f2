package dev.orchestrator.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;

/**
 * The floor under the fan-out's ramp: what starting N virtual threads and parking each in a 1 s call costs on this
 * machine with no engine at all, measured as {@link FanOutBenchmark} measures a mission's Workers, so that the two
 * tables subtract. One virtual thread, like the mission's Commander, makes the threads with the engine's default
 * factory ({@code Thread.ofVirtual().name("orchestrator-agent-", 0)}), keeps each in a map by name, starts it, and
 * waits for them all to finish; each thread waits in a {@link SimulatedCall}, as a Worker does in its model call,
 * {@code depth} frames deep (the thread's lambda, the frames between, the call's {@code await}). A parked Worker is
 * ten of its own frames deep (from the lambda its thread runs to the simulated call; the JIT leaves four compiled
 * frames of them), so depth 10 stands for it and depth 5 for an engine with half the frames.
 *
 * <p>For each size and depth it prints the window (first thread started to last finished), the ramp (first start
 * to the last thread inside its call), the ramp's CPU, the collectors' time and the bytes allocated in the ramp,
 * and, from a separate held run, the live heap per waiting thread and the part of it that is its parked stack.
 *
 * <pre>{@code
 * java -cp ... dev.orchestrator.benchmarks.VirtualThreadFloor [--threads=1000,5000,20000] [--depth=10,5] [--runs=3]
 * }</pre>
 */
public final class VirtualThreadFloor {

    private static final Duration LATENCY = Duration.ofSeconds(1);
    private static final Duration ENTRY_TIMEOUT = Duration.ofMinutes(2);
    private static final Set<String> OPTIONS = Set.of("threads", "depth", "runs");
    /** As many threads as {@link FanOutBenchmark} warms up with before each size, for the same reason. */
    private static final int WARM_UP_THREADS = 20_000;

    private VirtualThreadFloor() {
    }

    /** Runs every size at every depth and prints each run, then the medians. */
    public static void main(String[] args) throws Exception {
        Map<String, String> options = Options.parse(args, OPTIONS,
                "--threads=1000,5000,20000, --depth=10,5 and --runs=3");
        List<Integer> sizes = Options.integers(options.getOrDefault("threads", "1000,5000,20000"));
        List<Integer> depths = Options.integers(options.getOrDefault("depth", "10,5"));
        int runs = Integer.parseInt(options.getOrDefault("runs", "3"));
        if (depths.stream().anyMatch(depth -> depth < 3)) {
            throw new IllegalArgumentException("--depth counts the thread's lambda, the frames between and the call's"
                    + " await: at least 3");
        }
        System.out.printf("Virtual threads each parked in one call of %d ms; JDK %s, %d CPUs, max heap %d MB%n%n",
                LATENCY.toMillis(), Runtime.version(), Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20);
        System.out.printf("%8s %6s %4s %10s %8s %8s %8s %14s %11s %11s %14s %14s%n", "threads", "depth", "run",
                "window ms", "ramp ms", "tail ms", "lag ms", "ramp CPU µs", "ramp GC ms", "ramp KB", "KB per waiter",
                "stack KB");
        List<Row> rows = new ArrayList<>();
        for (int threads : sizes) {
            for (int depth : depths) {
                for (int warmed = 0; warmed < WARM_UP_THREADS; warmed += threads) {
                    timed(threads, depth);
                }
                for (int run = 1; run <= runs; run++) {
                    Row row = timed(threads, depth).withWaiting(waiting(threads, depth));
                    System.out.printf("%,8d %6d %4d %,10.1f %,8.1f %,8.1f %,8.1f %,14.2f %,11d %11.2f %14.2f"
                            + " %14.2f%n", threads, depth, run, millis(row.window), millis(row.ramp),
                            millis(row.tail), millis(row.returnLag), row.rampCpuMicrosPerThread, row.rampGcMillis, row.rampBytesPerThread / 1024,
                            row.waiting.bytes() / 1024,
                            row.waiting.stackBytes() / 1024);
                    rows.add(row);
                }
            }
        }
        printSummary(rows);
    }

    /** One run's figures; the ramp, tail and window split as in {@link FanOutBenchmark}. */
    private record Row(int threads, int depth, Duration window, Duration ramp, Duration tail, Duration returnLag,
            double rampCpuMicrosPerThread, long rampGcMillis, double rampBytesPerThread, Waiting waiting) {

        Row withWaiting(Waiting measured) {
            return new Row(threads, depth, window, ramp, tail, returnLag, rampCpuMicrosPerThread, rampGcMillis,
                    rampBytesPerThread, measured);
        }
    }

    private static Row timed(int threads, int depth) throws Exception {
        SimulatedCall call = SimulatedCall.timed(LATENCY, threads);
        FanOut.Timing timing = fanOut(threads, depth, call).join();
        return new Row(threads, depth, timing.window(),
                Duration.ofNanos(call.lastEntryNanos() - timing.firstDispatch()),
                Duration.ofNanos(timing.lastFinish() - call.lastEntryNanos()).minus(LATENCY),
                Duration.ofNanos(call.returnLagNanos()), call.rampCpuNanosPerCaller() / 1e3, call.rampCollectionMillis(), call.rampAllocatedBytesPerCaller(),
                Waiting.UNMEASURED);
    }

    private static Waiting waiting(int threads, int depth) throws Exception {
        SimulatedCall call = SimulatedCall.held(LATENCY, threads);
        long baseline = HeapMeter.liveBytes();
        CompletableFuture<FanOut.Timing> running = fanOut(threads, depth, call);
        Waiting waiting;
        try {
            call.awaitAllInside(ENTRY_TIMEOUT);
            waiting = Waiting.measure(baseline, threads);
        } finally {
            call.release();
        }
        running.join();
        return waiting;
    }

    /**
     * Starts the dispatching thread, which starts {@code threads} threads that each wait in {@code call} at
     * {@code depth} frames; completes when the last has finished.
     */
    private static CompletableFuture<FanOut.Timing> fanOut(int threads, int depth, SimulatedCall call) {
        ThreadFactory factory = Thread.ofVirtual().name("orchestrator-agent-", 0).factory();
        CompletableFuture<FanOut.Timing> done = new CompletableFuture<>();
        factory.newThread(() -> {
            try {
                done.complete(dispatch(factory, threads, depth, call));
            } catch (Throwable t) {
                done.completeExceptionally(t);
            }
        }).start();
        return done;
    }

    private static FanOut.Timing dispatch(ThreadFactory factory, int threads, int depth, SimulatedCall call)
            throws InterruptedException {
        long start = System.nanoTime();
        CountDownLatch finished = new CountDownLatch(threads);
        LastFinish lastFinish = new LastFinish(threads);
        Map<String, Thread> running = new HashMap<>();
        for (int i = 1; i <= threads; i++) {
            Thread thread = factory.newThread(() -> {
                try {
                    descend(depth - 2, call); // the lambda and the call's await are the other two
                } finally {
                    lastFinish.finished();
                    finished.countDown();
                }
            });
            running.put("todo-" + i, thread);
            thread.start();
        }
        finished.await();
        return new FanOut.Timing(start, lastFinish.nanos(), lastFinish.cpuNanos(),
                Duration.ofNanos(System.nanoTime() - start));
    }

    /** Is {@code frames} frames of the stack, this one included, the last of which waits in the call. */
    private static void descend(int frames, SimulatedCall call) {
        if (frames <= 1) {
            call.await();
        } else {
            descend(frames - 1, call);
        }
    }

    private static void printSummary(List<Row> rows) {
        System.out.printf("%nMedian [min–max] of the recorded runs%n");
        System.out.printf("%8s %6s %28s %24s %24s %24s %24s %20s %24s %24s %24s%n", "threads", "depth",
                "window ms", "ramp ms", "tail ms", "return lag ms", "ramp CPU µs per thread", "ramp GC ms", "ramp KB per thread", "KB per waiter",
                "stack KB per waiter");
        Map<String, List<Row>> groups = new LinkedHashMap<>();
        rows.forEach(row -> groups.computeIfAbsent(row.threads + "/" + row.depth, k -> new ArrayList<>()).add(row));
        groups.values().forEach(group -> System.out.printf("%,8d %6d %28s %24s %24s %24s %24s %20s %24s %24s %24s%n",
                group.getFirst().threads, group.getFirst().depth,
                Spread.of(group.stream().map(r -> millis(r.window)).toList()).format(1),
                Spread.of(group.stream().map(r -> millis(r.ramp)).toList()).format(1),
                Spread.of(group.stream().map(r -> millis(r.tail)).toList()).format(1),
                Spread.of(group.stream().map(r -> millis(r.returnLag)).toList()).format(1),
                Spread.of(group.stream().map(r -> r.rampCpuMicrosPerThread).toList()).format(2),
                Spread.of(group.stream().map(r -> (double) r.rampGcMillis).toList()).format(0),
                Spread.of(group.stream().map(r -> r.rampBytesPerThread / 1024).toList()).format(2),
                Spread.of(group.stream().map(r -> r.waiting.bytes() / 1024).toList()).format(2),
                Spread.of(group.stream().map(r -> r.waiting.stackBytes() / 1024).toList()).format(2)));
    }

    private static double millis(Duration duration) {
        return duration.toNanos() / 1e6;
    }
}
