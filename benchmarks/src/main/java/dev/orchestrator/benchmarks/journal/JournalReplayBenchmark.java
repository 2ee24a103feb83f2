package dev.orchestrator.benchmarks.journal;

import dev.orchestrator.core.internal.journal.EventCodec;
import dev.orchestrator.core.internal.journal.NioJournalDirectory;
import dev.orchestrator.core.internal.journal.WalConfig;
import dev.orchestrator.core.internal.journal.WriteAheadLog;
import dev.orchestrator.core.journal.FileJournal;
import dev.orchestrator.core.journal.SyncPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Replay throughput of a journal of {@value #EVENTS} events of 256 bytes, in one warm JVM, split into its parts:
 * opening (recovery reads every segment and checks every checksum), reading the records again with their checksums,
 * decoding them alone, and the whole {@link FileJournal#replay}. {@link JournalResumeBenchmark} measures the same in
 * fresh JVMs. Not run by CI.
 *
 * <pre>
 * mvn -B -q -pl benchmarks -am package -DskipTests dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
 * java -cp benchmarks/target/classes:$(cat benchmarks/target/classpath.txt) \
 *     dev.orchestrator.benchmarks.journal.JournalReplayBenchmark [directory] [repetitions]
 * </pre>
 */
public final class JournalReplayBenchmark {

    static final int EVENTS = 100_000;

    private JournalReplayBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args.length > 0 ? args[0] : "target/journal-benchmark").toAbsolutePath();
        int repetitions = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        Files.createDirectories(root);
        Path dir = Files.createTempDirectory(root, "replay-");
        try {
            write(dir);
            System.out.printf(Locale.ROOT, "%d cpus, Java %s, %s (%s), %,d events of 256 bytes, %d repetitions in "
                    + "one JVM (the first ones warm it up)%n", Runtime.getRuntime().availableProcessors(),
                    Runtime.version(), root, Files.getFileStore(root).type(), EVENTS, repetitions);
            EventCodec codec = new EventCodec();
            List<long[]> runs = new ArrayList<>();
            for (int rep = 1; rep <= repetitions; rep++) {
                long[] run = {open(dir), readAndCheck(dir), decodeOnly(dir, codec), replay(dir)};
                runs.add(run);
                System.out.printf(Locale.ROOT, "  %2d: open %,5.0f ms  read+CRC %,5.0f ms  +decode %,5.0f ms  "
                        + "replay %,5.0f ms%n", rep, run[0] / 1e6, run[1] / 1e6, run[2] / 1e6, run[3] / 1e6);
            }
            List<long[]> warm = runs.subList(runs.size() / 2, runs.size()); // the second half: JIT-compiled
            String[] parts = {"open (recovery: read + CRC)", "read + CRC", "read + CRC + decode",
                    "replay (FileJournal.replay)"};
            System.out.printf(Locale.ROOT, "%nmedians of the last %d repetitions%n%n", warm.size());
            System.out.println("| part | ms | events/s |");
            System.out.println("|---|---:|---:|");
            for (int p = 0; p < parts.length; p++) {
                int part = p;
                long median = warm.stream().mapToLong(r -> r[part]).sorted().toArray()[warm.size() / 2];
                System.out.printf(Locale.ROOT, "| %s | %,.0f | %,.0f |%n", parts[p], median / 1e6,
                        EVENTS / (median / 1e9));
            }
        } finally {
            delete(dir);
        }
    }

    /** Writes {@value #EVENTS} events to a new journal in {@code dir}. */
    static void write(Path dir) {
        try (FileJournal journal = FileJournal.builder(dir).syncPolicy(SyncPolicy.none()).open()) {
            for (int i = 1; i < EVENTS; i++) {
                journal.append(JournalAppendBenchmark.EVENT);
            }
            journal.append(JournalAppendBenchmark.EVENT).join();
        }
    }

    /** Nanoseconds to open (recover) the journal in {@code dir}, and then to replay every event in it. */
    record Resume(long openNanos, long replayNanos) {
    }

    static Resume resume(Path dir) {
        long start = System.nanoTime();
        long[] events = {0};
        long opened;
        try (FileJournal journal = FileJournal.open(dir)) {
            opened = System.nanoTime();
            journal.replay(event -> events[0]++);
        }
        long end = System.nanoTime();
        check(events[0]);
        return new Resume(opened - start, end - opened);
    }

    private static long open(Path dir) {
        long start = System.nanoTime();
        FileJournal.open(dir).close();
        return System.nanoTime() - start;
    }

    /** Reads and checks the records (after the journal is open), decoding nothing. */
    private static long readAndCheck(Path dir) throws IOException {
        try (WriteAheadLog log = WriteAheadLog.open(new NioJournalDirectory(dir), WalConfig.defaults())) {
            long[] records = {0};
            long start = System.nanoTime();
            log.replay((seq, payload) -> records[0]++);
            long took = System.nanoTime() - start;
            check(records[0]);
            return took;
        }
    }

    /** Reads, checks and decodes the records (after the journal is open) one by one on this thread. */
    private static long decodeOnly(Path dir, EventCodec codec) throws IOException {
        try (WriteAheadLog log = WriteAheadLog.open(new NioJournalDirectory(dir), WalConfig.defaults())) {
            long[] events = {0};
            long start = System.nanoTime();
            log.replay((seq, payload) -> events[0] += codec.decode(payload) == null ? 0 : 1);
            long took = System.nanoTime() - start;
            check(events[0]);
            return took;
        }
    }

    /** {@link FileJournal#replay} after the journal is open. */
    private static long replay(Path dir) {
        try (FileJournal journal = FileJournal.open(dir)) {
            long[] events = {0};
            long start = System.nanoTime();
            journal.replay(event -> events[0]++);
            long took = System.nanoTime() - start;
            check(events[0]);
            return took;
        }
    }

    private static void check(long events) {
        if (events != EVENTS) {
            throw new IllegalStateException("replayed " + events + " events, not " + EVENTS);
        }
    }

    static void delete(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
