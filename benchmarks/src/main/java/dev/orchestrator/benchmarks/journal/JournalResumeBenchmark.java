package dev.orchestrator.benchmarks.journal;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The time a crashed mission takes to resume: a fresh JVM opens (recovers) a journal of
 * {@value JournalReplayBenchmark#EVENTS} events of 256 bytes and replays them, decoding each. Each run is a child JVM,
 * started after the journal was written; the figure excludes the JVM's own start. Runs alternate between a plain JVM
 * and one started with an AOT cache (JDK 25: {@code -XX:AOTCache}, JEPs 483 and 515) made by one training run,
 * which loads and links the classes (Jackson's above all) ahead of time and brings method profiles along. The
 * cache needs a class path of jars only, so run it from the jar. Not run by CI.
 *
 * <pre>
 * mvn -B -q -pl benchmarks -am package -DskipTests dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
 * java -cp benchmarks/target/benchmarks-0.1.0-SNAPSHOT.jar:$(cat benchmarks/target/classpath.txt) \
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
        try {
            JournalReplayBenchmark.write(dir);
            boolean jarsOnly = Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
                    .allMatch(entry -> entry.endsWith(".jar"));
            Path cache = dir.resolve("resume.aot");
            if (jarsOnly) {
                train(dir, cache);
            } else {
                System.out.println("the class path holds directories, so no AOT cache: run from the jar for it");
            }
            List<List<String>> variants = jarsOnly ? List.of(List.of(), List.of("-XX:AOTCache=" + cache))
                    : List.of(List.of());
            List<List<JournalReplayBenchmark.Resume>> results = new ArrayList<>();
            variants.forEach(v -> results.add(new ArrayList<>()));
            for (int run = 1; run <= runs; run++) {
                for (int v = 0; v < variants.size(); v++) {
                    JournalReplayBenchmark.Resume resume = child(dir, variants.get(v));
                    results.get(v).add(resume);
                    System.out.printf(Locale.ROOT, "  run %d, %s: open %,d ms + replay %,d ms = %,d ms%n", run,
                            name(variants.get(v)), resume.openNanos() / 1_000_000, resume.replayNanos() / 1_000_000,
                            (resume.openNanos() + resume.replayNanos()) / 1_000_000);
                }
            }
            System.out.printf(Locale.ROOT, "%nresume (open + replay, decoded) of %,d events in a fresh JVM, medians of "
                    + "%d runs%n%n| JVM | open | replay | resume | events/s |%n|---|---:|---:|---:|---:|%n",
                    JournalReplayBenchmark.EVENTS, runs);
            for (int v = 0; v < variants.size(); v++) {
                List<JournalReplayBenchmark.Resume> rs = results.get(v);
                long open = median(rs.stream().map(JournalReplayBenchmark.Resume::openNanos).toList());
                long replay = median(rs.stream().map(JournalReplayBenchmark.Resume::replayNanos).toList());
                long total = median(rs.stream().map(r -> r.openNanos() + r.replayNanos()).toList());
                System.out.printf(Locale.ROOT, "| %s | %,d ms | %,d ms | %,d ms | %,.0f |%n", name(variants.get(v)),
                        open / 1_000_000, replay / 1_000_000, total / 1_000_000,
                        JournalReplayBenchmark.EVENTS / (total / 1e9));
            }
        } finally {
            JournalReplayBenchmark.delete(dir);
        }
    }

    private static String name(List<String> jvmOptions) {
        return jvmOptions.isEmpty() ? "plain" : "AOT cache";
    }

    private static long median(List<Long> values) {
        return values.stream().sorted().toList().get(values.size() / 2);
    }

    /** Writes an AOT cache to {@code cache} from one resume of the journal in {@code dir}. */
    private static void train(Path dir, Path cache) throws IOException, InterruptedException {
        run(dir, List.of("-XX:AOTCacheOutput=" + cache));
    }

    /** What a child JVM started with {@code jvmOptions} took to resume the journal in {@code dir}. */
    private static JournalReplayBenchmark.Resume child(Path dir, List<String> jvmOptions)
            throws IOException, InterruptedException {
        String[] nanos = run(dir, jvmOptions).split(" ");
        return new JournalReplayBenchmark.Resume(Long.parseLong(nanos[0]), Long.parseLong(nanos[1]));
    }

    /** Resumes the journal in {@code dir} in a child JVM started with {@code jvmOptions}; what it printed. */
    private static String run(Path dir, List<String> jvmOptions) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), JournalResumeBenchmark.class.getName(),
                "--child", dir.toString()));
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("the child JVM failed: " + out);
        }
        return out;
    }
}
