package dev.orchestrator.benchmarks.journal;

import dev.orchestrator.core.internal.engine.CrashHarness;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The long version of the kill -9 crash test: runs its scenario (a 40-todo mission in a child JVM, killed at a random
 * model call ten times and resumed each time) again and again, each time with a fresh workspace and journal, and
 * prints how many resumed correctly: completed with the crash-free run's files, paying again only for the calls in
 * flight at the kills. The crash-free run is deterministic, so it runs once. Not run by CI.
 *
 * <pre>
 * mvn -B -q -pl benchmarks -am package -DskipTests dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
 * java -cp benchmarks/target/classes:$(cat benchmarks/target/classpath.txt) \
 *     dev.orchestrator.benchmarks.journal.CrashLoop [directory] [runs] [first seed]
 * </pre>
 */
public final class CrashLoop {

    private static final int KILLS = 10;

    private CrashLoop() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args.length > 0 ? args[0] : "target/crash-loop").toAbsolutePath();
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        long firstSeed = args.length > 2 ? Long.parseLong(args[2]) : System.nanoTime();
        Files.createDirectories(root);
        CrashHarness harness = new CrashHarness(KILLS);
        Path referenceDir = Files.createTempDirectory(root, "reference-");
        CrashHarness.Reference reference = harness.reference(Files.createDirectory(referenceDir.resolve("workspace")),
                referenceDir.resolve("journal"));
        delete(referenceDir);
        if (reference.exitCode() != 0) {
            throw new IllegalStateException("the crash-free run failed with exit code " + reference.exitCode());
        }
        System.out.printf(Locale.ROOT, "crash-free run: %d calls; %d runs of %d kills each from seed %d%n",
                reference.calls(), runs, KILLS, firstSeed);
        int correct = 0;
        long start = System.nanoTime();
        for (int run = 1; run <= runs; run++) {
            Path dir = Files.createTempDirectory(root, "run-");
            CrashHarness.Outcome outcome = harness.killAndResume(Files.createDirectory(dir.resolve("workspace")),
                    dir.resolve("journal"), firstSeed + run);
            boolean ok = outcome.resumedCorrectly(reference, KILLS);
            if (ok) {
                correct++;
                delete(dir);
            } // a failed run's directory stays, for investigation
            System.out.printf(Locale.ROOT, "run %d: %s, %d calls (%d in flight at the kills), %s%n", run,
                    ok ? "resumed correctly" : "FAILED, kept " + dir, outcome.totalCalls(), outcome.inFlightAtKills(),
                    outcome);
        }
        System.out.printf(Locale.ROOT, "%n%d of %d runs (%d kills each) resumed correctly, in %,.0f s%n", correct, runs,
                KILLS, (System.nanoTime() - start) / 1e9);
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
