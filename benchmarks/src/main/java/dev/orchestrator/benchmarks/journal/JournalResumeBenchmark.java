package dev.orchestrator.benchmarks.journal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The time a crashed mission takes to resume: a fresh JVM opens (recovers) a journal of
 * {@value JournalReplayBenchmark#EVENTS} events of 256 bytes and replays them, decoding each. Each run is a
 * child JVM, started after the journal was written; the figure excludes the JVM's own start. Not run by CI.
 *
 * <pre>
 * mvn -B -q -pl benchmarks -am package -DskipTests dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
 * java -cp benchmarks/target/classes:$(cat benchmarks/target/classpath.txt) \
 *     dev.orchestrator.benchmarks.journal.JournalResumeBenchmark [directory] [runs]
 * </pre>
 */
public final class JournalResumeBenchmark {

    private JournalResumeBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 2 && args[0].equals("--child")) {
            JournalReplayBenchmark.Resume resume = JournalReplayBenchmark.resume(Path.of(args[1]));
            System.out.println(resume.openNanos() + " " + resume.replayNanos());
            return;
        }
        Path root = Path.of(args.length > 0 ? args[0] : "target/journal-benchmark").toAbsolutePath();
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Files.createDirectories(root);
        Path dir = Files.createTempDirectory(root, "resume-");
        JournalReplayBenchmark.write(dir);
        List<Long> total = new ArrayList<>();
        List<Long> open = new ArrayList<>();
        for (int run = 1; run <= runs; run++) {
            JournalReplayBenchmark.Resume resume = child(dir);
            open.add(resume.openNanos() / 1_000_000);
            total.add((resume.openNanos() + resume.replayNanos()) / 1_000_000);
            System.out.printf(Locale.ROOT, "  run %d: open %,d ms + replay %,d ms = %,d ms%n", run, open.getLast(),
                    total.getLast() - open.getLast(), total.getLast());
        }
        long median = total.stream().sorted().toList().get(runs / 2);
        System.out.printf(Locale.ROOT, "resume (open + replay, decoded) of %,d events in a fresh JVM: median %,d ms "
                + "(open: median %,d ms), %,.0f events/s%n", JournalReplayBenchmark.EVENTS, median,
                open.stream().sorted().toList().get(runs / 2), JournalReplayBenchmark.EVENTS / (median / 1e3));
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) {
                Files.delete(p);
            }
        }
        Files.delete(dir);
    }

    /** What a child JVM took to resume the journal in {@code dir}. */
    private static JournalReplayBenchmark.Resume child(Path dir) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), JournalResumeBenchmark.class.getName(), "--child",
                dir.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("the child JVM failed: " + out);
        }
        String[] nanos = out.split(" ");
        return new JournalReplayBenchmark.Resume(Long.parseLong(nanos[0]), Long.parseLong(nanos[1]));
    }
}
