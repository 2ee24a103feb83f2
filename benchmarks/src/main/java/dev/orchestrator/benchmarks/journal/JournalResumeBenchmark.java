package dev.orchestrator.benchmarks.journal;

import dev.orchestrator.core.journal.FileJournal;
import dev.orchestrator.core.journal.SyncPolicy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The time a crashed mission takes to resume: a fresh JVM opens (recovers) a journal of
 * {@value JournalAppendBenchmark#REPLAY_EVENTS} events of 256 bytes and replays them, decoding each. Each run is a
 * child JVM, started after the journal was written; the figure excludes the JVM's own start. Not run by CI.
 *
 * <pre>
 * mvn -q -pl benchmarks -am compile dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
 * java -cp benchmarks/target/classes:$(cat benchmarks/target/classpath.txt) \
 *     dev.orchestrator.benchmarks.journal.JournalResumeBenchmark [directory] [runs]
 * </pre>
 */
public final class JournalResumeBenchmark {

    private JournalResumeBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 2 && args[0].equals("--child")) {
            System.out.println(JournalAppendBenchmark.resume(Path.of(args[1])));
            return;
        }
        Path root = Path.of(args.length > 0 ? args[0] : "target/journal-benchmark").toAbsolutePath();
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Files.createDirectories(root);
        Path dir = Files.createTempDirectory(root, "resume-");
        try (FileJournal journal = FileJournal.builder(dir).syncPolicy(SyncPolicy.none()).open()) {
            for (int i = 1; i < JournalAppendBenchmark.REPLAY_EVENTS; i++) {
                journal.append(JournalAppendBenchmark.EVENT);
            }
            journal.append(JournalAppendBenchmark.EVENT).join();
        }
        List<Long> millis = new ArrayList<>();
        for (int run = 0; run < runs; run++) {
            millis.add(child(dir) / 1_000_000);
        }
        List<Long> sorted = millis.stream().sorted().toList();
        System.out.printf(Locale.ROOT, "resume (open + replay, decoded) of %,d events in a fresh JVM: median %,d ms "
                + "(runs: %s), %,.0f events/s%n", JournalAppendBenchmark.REPLAY_EVENTS, sorted.get(runs / 2), millis,
                JournalAppendBenchmark.REPLAY_EVENTS / (sorted.get(runs / 2) / 1e3));
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) {
                Files.delete(p);
            }
        }
        Files.delete(dir);
    }

    /** Nanoseconds a child JVM took to resume the journal in {@code dir}. */
    private static long child(Path dir) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), JournalResumeBenchmark.class.getName(), "--child",
                dir.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("the child JVM failed: " + out);
        }
        return Long.parseLong(out);
    }
}
