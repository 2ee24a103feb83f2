package dev.orchestrator.benchmarks.journal;

import dev.orchestrator.api.MissionEvent;
import dev.orchestrator.core.internal.journal.EventCodec;
import dev.orchestrator.core.internal.journal.NioJournalDirectory;
import dev.orchestrator.core.internal.journal.WalConfig;
import dev.orchestrator.core.internal.journal.WriteAheadLog;
import dev.orchestrator.core.journal.FileJournal;
import dev.orchestrator.core.journal.SyncPolicy;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
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
import java.util.concurrent.ThreadFactory;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Durable appends per second of {@link FileJournal} with 1, 8, 64 and 256 concurrent appenders (virtual threads,
 * each appending a 256-byte event and waiting for it to be durable), beside, in the same run: SQLite (WAL mode,
 * {@code synchronous=FULL}, one insert per transaction, the appenders on platform threads), the raw ceiling (one
 * thread writing batches of as many records as there are appenders, one {@code force} per batch) at the end of a
 * growing file and over a preallocated one, and over a preallocated one with each batch one {@code O_DSYNC} write
 * and no force (as the journal writes a batch), the journal with {@link SyncPolicy#none()}, which shows what the
 * writer costs without the disk, the journal's log alone with the event encoded beforehand (each append a copy of its
 * JSON): the journal less the encoding on the appender's thread, and {@link MinimalGroupCommit}, the simplest
 * closed-loop group commit (appenders as in
 * the journal's case, records of the journal's size, one {@code O_DSYNC} write per batch over a preallocated file),
 * once writing whatever is queued and once gathering all the appenders before each write: what a closed-loop design
 * reaches on this machine, the appenders' turnaround included, which the raw ceiling does not pay. The cases run
 * round-robin, {@code repetitions} times, each repetition starting with the next case; every repetition is printed,
 * then the medians. A comma-separated list of appender counts (say {@code 64}) runs only those: a quicker A/B of one
 * figure. Not run by CI.
 *
 * <pre>
 * mvn -B -q -pl benchmarks -am package -DskipTests dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
 * java -cp benchmarks/target/classes:$(cat benchmarks/target/classpath.txt) \
 *     dev.orchestrator.benchmarks.journal.JournalAppendBenchmark [directory] [seconds per case] [repetitions] \
 *     [appenders, e.g. 1,8,64,256]
 * </pre>
 */
public final class JournalAppendBenchmark {

    private static final String APPENDERS = "1,8,64,256";
    private static final Duration WARM_UP = Duration.ofSeconds(1);
    /** An agent note whose JSON encoding is 256 bytes. */
    static final MissionEvent EVENT = new MissionEvent.AgentNote("todo-17#1", "worker", "x".repeat(150),
            Instant.parse("2026-11-28T00:00:00.123456789Z"));
    /** What SQLite stores per insert: as many bytes as the journal's payload. */
    private static final byte[] PAYLOAD = "x".repeat(256).getBytes(StandardCharsets.US_ASCII);
    private static final int RECORD_BYTES = 24 + 256; // the frame around a 256-byte payload
    /** The raw ceiling over a preallocated file writes round and round this many bytes, as SQLite's WAL does. */
    private static final int PREALLOCATED_BYTES = 16 << 20;

    /** The cases, in the order they run and are printed. */
    private enum Case {
        JOURNAL("journal, every batch forced"),
        LOG_ALONE("log alone, event pre-encoded"),
        MINIMAL("minimal group commit"),
        MINIMAL_GATHERING("minimal, gathering all"),
        SQLITE("SQLite, synchronous=FULL"),
        RAW("raw ceiling, growing file"),
        RAW_PREALLOCATED("raw ceiling, preallocated"),
        RAW_DSYNC("raw ceiling, prealloc., O_DSYNC"),
        JOURNAL_NO_SYNC("journal, never forced");

        final String title;

        Case(String title) {
            this.title = title;
        }
    }

    private JournalAppendBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args.length > 0 ? args[0] : "target/journal-benchmark").toAbsolutePath();
        Duration measure = Duration.ofSeconds(args.length > 1 ? Long.parseLong(args[1]) : 5);
        int repetitions = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        int[] appenders = Arrays.stream((args.length > 3 ? args[3] : APPENDERS).split(","))
                .mapToInt(Integer::parseInt)
                .toArray();
        Files.createDirectories(root);
        System.out.printf(Locale.ROOT, "%s, %d cpus, Java %s, %s (%s), %s per case after %s warm-up, %d repetitions%n",
                System.getProperty("os.name"), Runtime.getRuntime().availableProcessors(),
                Runtime.version(), root, Files.getFileStore(root).type(), measure, WARM_UP, repetitions);
        ClosedLoop loop = new ClosedLoop(WARM_UP, measure);
        // results[case][appenders index] lists one result per repetition
        List<List<List<ClosedLoop.Result>>> results = new ArrayList<>();
        for (Case c : Case.values()) {
            List<List<ClosedLoop.Result>> perAppenders = new ArrayList<>();
            for (int ignored : appenders) {
                perAppenders.add(new ArrayList<>());
            }
            results.add(perAppenders);
        }
        for (int rep = 1; rep <= repetitions; rep++) {
            System.out.printf(Locale.ROOT, "%nrepetition %d%n", rep);
            for (int a = 0; a < appenders.length; a++) {
                // Each repetition starts with the next case: a case slowed by the writeback of the one before it
                // (SQLite leaves dirty pages) is not always the same one.
                for (int i = 0; i < Case.values().length; i++) {
                    Case c = Case.values()[(i + rep - 1) % Case.values().length];
                    ClosedLoop.Result r = run(c, root, appenders[a], loop, measure);
                    results.get(c.ordinal()).get(a).add(r);
                    boolean raw = c == Case.RAW || c == Case.RAW_PREALLOCATED || c == Case.RAW_DSYNC;
                    System.out.printf(Locale.ROOT, "  %-30s %3d appenders: %,10.0f /s%s%n", c.title, appenders[a],
                            r.perSecond(), raw ? "" : "  p50 " + micros(r.p50Nanos()) + "  p99 "
                                    + micros(r.p99Nanos()));
                }
            }
        }
        // The disk's speed drifts within seconds, so the ratios are taken per repetition, between cases that ran
        // one after the other, and then their median.
        System.out.printf(Locale.ROOT, "%nmedians of %d repetitions, durable appends (inserts, records) per second; "
                + "ratios: median of the ratios within each repetition%n%n", repetitions);
        System.out.println("| appenders | journal | p50 / p99 latency | SQLite | raw ceiling, growing / preallocated "
                + "/ preallocated O_DSYNC | journal / SQLite | journal / raw, growing / preallocated / preallocated "
                + "O_DSYNC | journal, never forced | minimal group commit, as queued / gathering all | minimal / raw, "
                + "preallocated, as queued / gathering all | journal / minimal gathering all | log alone, event "
                + "pre-encoded | log alone / raw, preallocated | journal / log alone |");
        System.out.println("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (int a = 0; a < appenders.length; a++) {
            List<ClosedLoop.Result> journal = results.get(Case.JOURNAL.ordinal()).get(a);
            List<ClosedLoop.Result> sqlite = results.get(Case.SQLITE.ordinal()).get(a);
            List<ClosedLoop.Result> raw = results.get(Case.RAW.ordinal()).get(a);
            List<ClosedLoop.Result> preallocated = results.get(Case.RAW_PREALLOCATED.ordinal()).get(a);
            List<ClosedLoop.Result> dsync = results.get(Case.RAW_DSYNC.ordinal()).get(a);
            List<ClosedLoop.Result> minimal = results.get(Case.MINIMAL.ordinal()).get(a);
            List<ClosedLoop.Result> gathering = results.get(Case.MINIMAL_GATHERING.ordinal()).get(a);
            List<ClosedLoop.Result> logAlone = results.get(Case.LOG_ALONE.ordinal()).get(a);
            System.out.printf(Locale.ROOT, "| %d | %,.0f | %s / %s | %,.0f | %,.0f / %,.0f / %,.0f | %.1fx "
                    + "| %.2fx / %.2fx / %.2fx | %,.0f | %,.0f / %,.0f | %.2fx / %.2fx | %.2fx | %,.0f | %.2fx "
                    + "| %.2fx |%n",
                    appenders[a], median(journal, ClosedLoop.Result::perSecond),
                    micros(median(journal, r -> (double) r.p50Nanos())),
                    micros(median(journal, r -> (double) r.p99Nanos())), median(sqlite, ClosedLoop.Result::perSecond),
                    median(raw, ClosedLoop.Result::perSecond), median(preallocated, ClosedLoop.Result::perSecond),
                    median(dsync, ClosedLoop.Result::perSecond), medianRatio(journal, sqlite),
                    medianRatio(journal, raw), medianRatio(journal, preallocated), medianRatio(journal, dsync),
                    median(results.get(Case.JOURNAL_NO_SYNC.ordinal()).get(a), ClosedLoop.Result::perSecond),
                    median(minimal, ClosedLoop.Result::perSecond), median(gathering, ClosedLoop.Result::perSecond),
                    medianRatio(minimal, preallocated), medianRatio(gathering, preallocated),
                    medianRatio(journal, gathering), median(logAlone, ClosedLoop.Result::perSecond),
                    medianRatio(logAlone, preallocated), medianRatio(journal, logAlone));
        }
    }

    private static ClosedLoop.Result run(Case c, Path root, int appenders, ClosedLoop loop, Duration measure)
            throws Exception {
        Path dir = Files.createTempDirectory(root, c.name().toLowerCase(Locale.ROOT) + "-");
        try {
            return switch (c) {
                case JOURNAL -> journal(dir, SyncPolicy.everyBatch(), appenders, loop);
                case JOURNAL_NO_SYNC -> journal(dir, SyncPolicy.none(), appenders, loop);
                case LOG_ALONE -> logAlone(dir, appenders, loop);
                case MINIMAL -> minimalGroupCommit(dir.resolve("minimal.bin"), appenders, 1, loop);
                case MINIMAL_GATHERING -> minimalGroupCommit(dir.resolve("minimal.bin"), appenders, appenders, loop);
                case SQLITE -> {
                    try (SqliteBaseline sqlite = new SqliteBaseline(dir.resolve("events.db"))) {
                        // platform threads: the driver blocks in native code, where a virtual thread pins its carrier
                        yield loop.run(appenders, Thread.ofPlatform().daemon(true).factory(),
                                () -> sqlite.insert(PAYLOAD));
                    }
                }
                case RAW -> new ClosedLoop.Result(rawCeiling(dir.resolve("raw.bin"), appenders, measure, 0, false),
                        0, 0);
                case RAW_PREALLOCATED -> new ClosedLoop.Result(rawCeiling(dir.resolve("raw.bin"), appenders, measure,
                        PREALLOCATED_BYTES, false), 0, 0);
                case RAW_DSYNC -> new ClosedLoop.Result(rawCeiling(dir.resolve("raw.bin"), appenders, measure,
                        PREALLOCATED_BYTES, true), 0, 0);
            };
        } finally {
            delete(dir);
        }
    }

    private static ClosedLoop.Result journal(Path dir, SyncPolicy policy, int appenders, ClosedLoop loop)
            throws InterruptedException {
        ThreadFactory virtual = Thread.ofVirtual().factory();
        try (FileJournal journal = FileJournal.builder(dir).syncPolicy(policy).open()) {
            return loop.run(appenders, virtual, () -> journal.append(EVENT).join());
        }
    }

    /**
     * Appends per second of the journal's log with its default settings (every batch forced), each appender appending
     * a copy of the event's JSON: the journal without the encoding, which each appender does on its own thread.
     */
    private static ClosedLoop.Result logAlone(Path dir, int appenders, ClosedLoop loop) throws Exception {
        byte[] json = EventCodec.shared().encode(EVENT);
        try (WriteAheadLog log = WriteAheadLog.open(new NioJournalDirectory(dir), WalConfig.defaults())) {
            return loop.run(appenders, Thread.ofVirtual().factory(), () -> log.append(json.clone()).join());
        }
    }

    /** Appends per second of {@link MinimalGroupCommit} over a preallocated file, with the journal's record size. */
    private static ClosedLoop.Result minimalGroupCommit(Path file, int appenders, int gather, ClosedLoop loop)
            throws IOException, InterruptedException {
        byte[] record = new byte[RECORD_BYTES];
        try (FileChannel preallocating = FileChannel.open(file, StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE);
                FileChannel dsync = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.DSYNC)) {
            preallocate(preallocating, PREALLOCATED_BYTES);
            try (MinimalGroupCommit commit = new MinimalGroupCommit(dsync, PREALLOCATED_BYTES,
                    appenders * RECORD_BYTES, gather)) {
                return loop.run(appenders, Thread.ofVirtual().factory(), () -> commit.append(record));
            }
        }
    }

    /**
     * Records per second when one thread writes {@code batch} records at a time and forces each write: at the end of
     * the file, or with {@code preallocated} > 0 round and round that many bytes written (and forced) beforehand, so
     * that no force changes the file's size. With {@code dsync} the writes go through a second descriptor opened with
     * {@code O_DSYNC}, each one durable when it returns, and no force follows them: as the journal writes a batch.
     */
    private static double rawCeiling(Path file, int batch, Duration measure, int preallocated, boolean dsync)
            throws IOException {
        ByteBuffer bytes = ByteBuffer.allocateDirect(batch * RECORD_BYTES);
        try (FileChannel preallocating = FileChannel.open(file, StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE);
                FileChannel channel = dsync
                        ? FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.DSYNC)
                        : preallocating) {
            preallocate(preallocating, preallocated);
            long records = 0;
            long start = System.nanoTime();
            long warmUntil = start + WARM_UP.toNanos();
            long until = warmUntil + measure.toNanos();
            long position = 0;
            for (long now = start; now < until; now = System.nanoTime()) {
                bytes.clear();
                if (preallocated > 0 && position + bytes.capacity() > preallocated) {
                    position = 0;
                }
                while (bytes.hasRemaining()) {
                    position += channel.write(bytes, position);
                }
                if (!dsync) {
                    channel.force(false);
                }
                if (now >= warmUntil) {
                    records += batch;
                }
            }
            return records / (measure.toNanos() / 1e9);
        }
    }

    /** Writes {@code bytes} zeros at the start of {@code file} and forces them, size and all. */
    private static void preallocate(FileChannel file, long bytes) throws IOException {
        ByteBuffer zeros = ByteBuffer.allocateDirect(1 << 20);
        for (long at = 0; at < bytes; ) {
            at += file.write(zeros.clear(), at);
        }
        file.force(true);
    }

    private static double median(List<ClosedLoop.Result> results, Function<ClosedLoop.Result, Double> figure) {
        List<Double> sorted = results.stream().map(figure).sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    private static double medianRatio(List<ClosedLoop.Result> over, List<ClosedLoop.Result> under) {
        List<Double> ratios = new ArrayList<>();
        for (int rep = 0; rep < over.size(); rep++) {
            ratios.add(over.get(rep).perSecond() / under.get(rep).perSecond());
        }
        return ratios.stream().sorted().toList().get(ratios.size() / 2);
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
