package dev.orchestrator.benchmarks.journal;

import dev.orchestrator.api.MissionEvent;
import dev.orchestrator.core.journal.FileJournal;
import dev.orchestrator.core.journal.SyncPolicy;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

/**
 * Durable appends per second and append latency of {@link FileJournal} with 1, 16 and 256 concurrent appenders
 * (virtual threads, each appending and waiting for its append), forcing every batch and never forcing, on the disk
 * under the given directory; beside it, the raw ceiling: one thread writing batches of the same records with one
 * {@code force} each; and the time to open (recover) and replay, decoding every event, a journal of
 * {@value #REPLAY_EVENTS} such events. The cases run round-robin, {@code repetitions} times, and each figure is the median over the
 * repetitions: the disk's speed drifts. Not run by CI.
 *
 * <pre>
 * mvn -q -pl benchmarks -am compile dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
 * java -cp benchmarks/target/classes:$(cat benchmarks/target/classpath.txt) \
 *     dev.orchestrator.benchmarks.journal.JournalAppendBenchmark [directory] [seconds per case] [repetitions]
 * </pre>
 */
public final class JournalAppendBenchmark {

    private static final int[] APPENDERS = {1, 16, 256};
    private static final Duration WARM_UP = Duration.ofSeconds(1);
    /** An agent note whose JSON encoding is 256 bytes. */
    static final MissionEvent EVENT = new MissionEvent.AgentNote("todo-17#1", "worker", "x".repeat(150),
            Instant.parse("2026-11-28T00:00:00.123456789Z"));
    private static final int RECORD_BYTES = 24 + 256; // the frame around a 256-byte payload
    static final int REPLAY_EVENTS = 100_000;

    private JournalAppendBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args.length > 0 ? args[0] : "target/journal-benchmark").toAbsolutePath();
        Duration measure = Duration.ofSeconds(args.length > 1 ? Long.parseLong(args[1]) : 5);
        int repetitions = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        Files.createDirectories(root);
        System.out.printf(Locale.ROOT, "%s, %d cpus, Java %s, %s (%s), %s per case after %s warm-up, median of %d%n",
                System.getProperty("os.name"), Runtime.getRuntime().availableProcessors(),
                Runtime.version(), root, Files.getFileStore(root).type(), measure, WARM_UP, repetitions);
        List<SyncPolicy> policies = List.of(SyncPolicy.everyBatch(), SyncPolicy.none());
        List<List<Result>> appends = new ArrayList<>();
        List<List<Double>> raw = new ArrayList<>();
        List<Double> resumeNanos = new ArrayList<>();
        Path replayed = Files.createTempDirectory(root, "replay-");
        try (FileJournal journal = FileJournal.builder(replayed).syncPolicy(SyncPolicy.none()).open()) {
            for (int i = 1; i < REPLAY_EVENTS; i++) {
                journal.append(EVENT);
            }
            journal.append(EVENT).join();
        }
        // The first resume in this JVM decodes cold; JournalResumeBenchmark measures resumes in fresh JVMs.
        long firstResume = resume(replayed);
        for (int rep = 0; rep < repetitions; rep++) {
            resumeNanos.add((double) resume(replayed));
            int c = 0;
            for (SyncPolicy policy : policies) {
                for (int appenders : APPENDERS) {
                    Path dir = Files.createTempDirectory(root, "journal-");
                    if (rep == 0) {
                        appends.add(new ArrayList<>());
                    }
                    appends.get(c++).add(run(dir, policy, appenders, measure));
                    delete(dir);
                }
            }
            for (int b = 0; b < APPENDERS.length; b++) {
                Path file = Files.createTempFile(root, "raw-", ".bin");
                if (rep == 0) {
                    raw.add(new ArrayList<>());
                }
                raw.get(b).add(rawCeiling(file, APPENDERS[b], measure));
                Files.delete(file);
            }
        }
        System.out.println();
        System.out.println("| sync policy | appenders | appends/s | p50 latency | p99 latency |");
        System.out.println("|---|---:|---:|---:|---:|");
        int c = 0;
        for (SyncPolicy policy : policies) {
            for (int appenders : APPENDERS) {
                List<Result> rs = appends.get(c++);
                System.out.printf(Locale.ROOT, "| %s | %d | %,.0f | %s | %s |%n", name(policy), appenders,
                        median(rs.stream().map(Result::perSecond).toList()),
                        micros(median(rs.stream().map(r -> (double) r.p50Nanos()).toList())),
                        micros(median(rs.stream().map(r -> (double) r.p99Nanos()).toList())));
            }
        }
        System.out.println();
        System.out.println("| raw ceiling: records per write + force | records/s |");
        System.out.println("|---:|---:|");
        for (int b = 0; b < APPENDERS.length; b++) {
            System.out.printf(Locale.ROOT, "| %d | %,.0f |%n", APPENDERS[b], median(raw.get(b)));
        }
        double resume = median(resumeNanos);
        System.out.println();
        System.out.printf(Locale.ROOT, "open + replay of %,d events (%,d bytes each, decoded): first in this JVM %,.0f ms, "
                + "%,.0f events/s; later (median) %,.0f ms, %,.0f events/s%n", REPLAY_EVENTS, 256, firstResume / 1e6,
                REPLAY_EVENTS / (firstResume / 1e9), resume / 1e6, REPLAY_EVENTS / (resume / 1e9));
        delete(replayed);
    }

    /** Nanoseconds to open the journal in {@code dir} and replay every event in it. */
    static long resume(Path dir) {
        long start = System.nanoTime();
        long[] events = {0};
        try (FileJournal journal = FileJournal.open(dir)) {
            journal.replay(event -> events[0]++);
        }
        long took = System.nanoTime() - start;
        if (events[0] != REPLAY_EVENTS) {
            throw new IllegalStateException("replayed " + events[0] + " events, not " + REPLAY_EVENTS);
        }
        return took;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    private record Result(double perSecond, long p50Nanos, long p99Nanos) {
    }

    private static Result run(Path dir, SyncPolicy policy, int appenders, Duration measure) throws Exception {
        long[][] latencies = new long[appenders][];
        int[] counts = new int[appenders];
        try (FileJournal journal = FileJournal.builder(dir).syncPolicy(policy).open()) {
            CountDownLatch done = new CountDownLatch(appenders);
            long measureFrom = System.nanoTime() + WARM_UP.toNanos();
            long measureTo = measureFrom + measure.toNanos();
            for (int t = 0; t < appenders; t++) {
                int thread = t;
                Thread.ofVirtual().start(() -> {
                    long[] mine = new long[1 << 12];
                    int n = 0;
                    for (long start = System.nanoTime(); start < measureTo; ) {
                        journal.append(EVENT).join();
                        long end = System.nanoTime();
                        if (start >= measureFrom) {
                            if (n == mine.length) {
                                mine = Arrays.copyOf(mine, n * 2);
                            }
                            mine[n++] = end - start;
                        }
                        start = end;
                    }
                    latencies[thread] = mine;
                    counts[thread] = n;
                    done.countDown();
                });
            }
            done.await();
        }
        int total = Arrays.stream(counts).sum();
        long[] all = new long[total];
        for (int t = 0, at = 0; t < appenders; at += counts[t], t++) {
            System.arraycopy(latencies[t], 0, all, at, counts[t]);
        }
        Arrays.sort(all);
        return new Result(total / (measure.toNanos() / 1e9), all[total / 2], all[(int) (total * 0.99)]);
    }

    /** Records per second when one thread writes {@code batch} records at a time and forces each write. */
    private static double rawCeiling(Path file, int batch, Duration measure) throws IOException {
        ByteBuffer bytes = ByteBuffer.allocateDirect(batch * RECORD_BYTES);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            long records = 0;
            long start = System.nanoTime();
            long warmUntil = start + WARM_UP.toNanos();
            long until = warmUntil + measure.toNanos();
            long position = 0;
            for (long now = start; now < until; now = System.nanoTime()) {
                bytes.clear();
                while (bytes.hasRemaining()) {
                    position += channel.write(bytes, position);
                }
                channel.force(false);
                if (now >= warmUntil) {
                    records += batch;
                }
            }
            return records / (measure.toNanos() / 1e9);
        }
    }

    private static String name(SyncPolicy policy) {
        return policy instanceof SyncPolicy.EveryBatch ? "every batch" : "none";
    }

    private static String micros(double nanos) {
        return String.format(Locale.ROOT, "%,.0f µs", nanos / 1e3);
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
