package dev.orchestrator.core.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.MissionEvent;
import dev.orchestrator.core.journal.FileJournal;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a real child JVM running a mission with {@code kill -9} at random moments, resumes it each time, and
 * checks that the mission completes with the crash-free files and pays only for the calls that were in flight.
 */
class CrashResumeTest {

    private static final int KILLS = 10;
    private static final long LATENCY_MILLIS = 40;
    /**
     * An attempt is killed by its twelfth call at the latest, so ten attempts complete at most 120 of the mission's
     * 123 calls: it cannot finish before the tenth kill.
     */
    private static final int MAX_CALLS_PER_ATTEMPT = 12;

    @TempDir
    Path root;

    /** What one run of the child did. */
    private record Run(int calls, boolean killed, int exitCode) {
    }

    /**
     * Runs the child until it exits, or kills it as its {@code killAt}-th model call starts: a random moment of the
     * mission, counted in the mission's own steps rather than in time, which a cold JVM's start-up would distort.
     */
    private Run runChild(Path workspace, Path journal, int killAt) throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                CrashChild.class.getName(), workspace.toString(), journal.toString(), Long.toString(LATENCY_MILLIS))
                .redirectErrorStream(true).start();
        int calls = 0;
        boolean killed = false;
        try (BufferedReader lines = new BufferedReader(
                new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while (!killed && (line = lines.readLine()) != null) {
                if (line.startsWith("call ") && ++calls == killAt) {
                    // SIGKILL: no shutdown hook, no flush, no close; this call and any started beside it are in
                    // flight. Calls the child announced after this line are not counted, and none of them can have
                    // completed in the moment it took to kill it.
                    child.destroyForcibly();
                    killed = true;
                }
            }
        }
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the child did not end");
        return new Run(calls, killed, child.exitValue());
    }

    private static long recordedCalls(Path journal) {
        try (FileJournal file = FileJournal.open(journal)) {
            long[] count = {0};
            file.replay(event -> {
                if (event instanceof MissionEvent.LlmCallCompleted) {
                    count[0]++;
                }
            });
            return count[0];
        }
    }

    private static Map<String, String> files(Path workspace) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> paths = Files.list(workspace)) {
            for (Path path : paths.toList()) {
                files.put(path.getFileName().toString(), Files.readString(path));
            }
        }
        return files;
    }

    @Test
    void aMissionKilledAtRandomMomentsResumesToTheCrashFreeResultPayingOnlyForCallsInFlight() throws Exception {
        Path referenceWorkspace = Files.createDirectory(root.resolve("reference"));
        Run reference = runChild(referenceWorkspace, root.resolve("reference-journal"), Integer.MAX_VALUE);
        assertEquals(0, reference.exitCode(), "the crash-free run must complete");

        long seed = System.nanoTime();
        Random random = new Random(seed);
        Path workspace = Files.createDirectory(root.resolve("crashed"));
        Path journal = root.resolve("crashed-journal");
        List<String> attempts = new ArrayList<>();
        int totalCalls = 0;
        int inFlightAtKills = 0;
        long recordedBefore = 0;
        int kills = 0;
        while (kills < KILLS) {
            Run run = runChild(workspace, journal, 1 + random.nextInt(MAX_CALLS_PER_ATTEMPT));
            long recordedAfter = recordedCalls(journal);
            int inFlight = (int) (run.calls() - (recordedAfter - recordedBefore));
            attempts.add(run.calls() + " calls, " + inFlight + " in flight" + (run.killed() ? ", killed" : ""));
            totalCalls += run.calls();
            recordedBefore = recordedAfter;
            if (!run.killed()) {
                assertEquals(0, run.exitCode(), "seed " + seed + ": " + attempts);
                break;
            }
            kills++;
            inFlightAtKills += inFlight;
            assertTrue(inFlight >= 0 && inFlight <= CrashChild.MAX_PARALLEL,
                    "seed " + seed + ": more calls lost than could be in flight: " + attempts);
        }
        if (kills == KILLS) {
            Run last = runChild(workspace, journal, Integer.MAX_VALUE);
            assertEquals(0, last.exitCode(), "seed " + seed + ": " + attempts);
            totalCalls += last.calls();
        }

        // the figures go to the test report, where the closing notes of this work quote them from
        System.out.println("crash-free: " + reference.calls() + " calls; seed " + seed + ": " + attempts);
        assertEquals(files(referenceWorkspace), files(workspace), "seed " + seed + ": " + attempts);
        assertEquals(reference.calls() + inFlightAtKills, totalCalls, "seed " + seed + ": " + attempts);
        assertEquals(KILLS, kills, "seed " + seed + ": " + attempts);
    }
}
