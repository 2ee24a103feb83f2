package dev.orchestrator.core.internal.engine;

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

/**
 * Runs {@link CrashChild}'s mission in child JVMs, kills them with {@code kill -9} at random model calls and resumes
 * them, recording what each attempt did. {@code CrashResumeTest} asserts on what it records; the benchmarks' crash
 * loop repeats it many times.
 */
public final class CrashHarness {

    /** The scripted model's latency per call. */
    public static final long LATENCY_MILLIS = 40;
    /**
     * An attempt is killed by its twelfth call at the latest, so ten attempts complete at most 120 of the mission's
     * 123 calls: it cannot finish before the tenth kill.
     */
    public static final int MAX_CALLS_PER_ATTEMPT = 12;
    /** At most this many calls run at once, so at most this many are lost at a kill. */
    public static final int MAX_IN_FLIGHT = CrashChild.MAX_PARALLEL;

    private final int kills;

    /** A harness that kills each mission {@code kills} times before letting it finish. */
    public CrashHarness(int kills) {
        this.kills = kills;
    }

    /** What one run of the child did. */
    public record Run(int calls, boolean killed, int exitCode) {
    }

    /**
     * A mission run without a crash.
     *
     * @param calls the model calls it made
     * @param exitCode the child's exit code, 0 when the mission completed
     * @param files the workspace's files by name, with their content
     */
    public record Reference(int calls, int exitCode, Map<String, String> files) {
    }

    /**
     * A mission killed again and again, then left to finish.
     *
     * @param seed the seed of the kill points
     * @param attempts what each run did, for messages
     * @param inFlightAtEachKill for each kill, the calls that had started but whose results the journal did not hold
     * @param totalCalls the model calls over all runs
     * @param exitCode the exit code of the last run, 0 when the mission completed
     * @param files the workspace's files at the end
     */
    public record Outcome(long seed, List<String> attempts, List<Integer> inFlightAtEachKill, int totalCalls,
            int exitCode, Map<String, String> files) {

        public Outcome {
            attempts = List.copyOf(attempts);
            inFlightAtEachKill = List.copyOf(inFlightAtEachKill);
            files = Map.copyOf(files);
        }

        /** How many times the mission was killed. */
        public int kills() {
            return inFlightAtEachKill.size();
        }

        /** The calls in flight over all kills: the only ones a resumed mission may pay for twice. */
        public int inFlightAtKills() {
            return inFlightAtEachKill.stream().mapToInt(Integer::intValue).sum();
        }

        /** Whether no kill lost more calls than can run at once (nor fewer than none). */
        public boolean inFlightWithinBounds() {
            return inFlightAtEachKill.stream().allMatch(n -> n >= 0 && n <= MAX_IN_FLIGHT);
        }

        /**
         * Whether the mission took the kills it was meant to, completed with the crash-free run's files, and paid
         * for no call twice but those in flight at each kill.
         */
        public boolean resumedCorrectly(Reference reference, int expectedKills) {
            return kills() == expectedKills && inFlightWithinBounds() && exitCode == 0
                    && files.equals(reference.files()) && totalCalls == reference.calls() + inFlightAtKills();
        }

        @Override
        public String toString() {
            return "seed " + seed + ": " + attempts;
        }
    }

    /** Runs the mission without a crash in {@code workspace} (which must exist) with a journal in {@code journal}. */
    public Reference reference(Path workspace, Path journal) throws IOException, InterruptedException {
        Run run = runChild(workspace, journal, Integer.MAX_VALUE);
        return new Reference(run.calls(), run.exitCode(), files(workspace));
    }

    /**
     * Runs the mission in {@code workspace} (which must exist) with a journal in {@code journal}, killing it at a
     * random call of each run until it was killed {@code kills} times, then lets it finish.
     */
    public Outcome killAndResume(Path workspace, Path journal, long seed) throws IOException, InterruptedException {
        Random random = new Random(seed);
        List<String> attempts = new ArrayList<>();
        List<Integer> inFlightAtEachKill = new ArrayList<>();
        int totalCalls = 0;
        long recordedBefore = 0;
        int exitCode = -1;
        while (inFlightAtEachKill.size() < kills) {
            Run run = runChild(workspace, journal, 1 + random.nextInt(MAX_CALLS_PER_ATTEMPT));
            long recordedAfter = recordedCalls(journal);
            int inFlight = (int) (run.calls() - (recordedAfter - recordedBefore));
            attempts.add(run.calls() + " calls, " + inFlight + " in flight" + (run.killed() ? ", killed" : ""));
            totalCalls += run.calls();
            recordedBefore = recordedAfter;
            if (!run.killed()) {
                exitCode = run.exitCode(); // finished early: the kills it was meant to take are missing
                break;
            }
            inFlightAtEachKill.add(inFlight);
        }
        if (inFlightAtEachKill.size() == kills) {
            Run last = runChild(workspace, journal, Integer.MAX_VALUE);
            attempts.add(last.calls() + " calls, finished with exit code " + last.exitCode());
            totalCalls += last.calls();
            exitCode = last.exitCode();
        }
        return new Outcome(seed, attempts, inFlightAtEachKill, totalCalls, exitCode, files(workspace));
    }

    /**
     * Runs the child until it exits, or kills it as its {@code killAt}-th model call starts: a random moment of the
     * mission, counted in the mission's own steps rather than in time, which a cold JVM's start-up would distort.
     * The run's calls are all those the child announced before it died.
     */
    private static Run runChild(Path workspace, Path journal, int killAt) throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                CrashChild.class.getName(), workspace.toString(), journal.toString(), Long.toString(LATENCY_MILLIS))
                .redirectErrorStream(true).start();
        try {
            int calls = 0;
            boolean killed = false;
            try (BufferedReader lines = new BufferedReader(
                    new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                // read to the end, past the kill: a parent that reads slowly (a loaded machine) may be lines behind
                // the child, whose calls announced after the killing line may have completed, and been journaled,
                // before the kill landed. Every call announced is counted, so those are not taken for calls paid
                // twice, and a call the journal holds is always one counted (it is announced before it is made)
                while ((line = lines.readLine()) != null) {
                    if (line.startsWith("call ") && ++calls == killAt) {
                        // SIGKILL: no shutdown hook, no flush, no close; this call and any started beside it are in
                        // flight. Through the handle: Process.destroyForcibly would also close the output, unread
                        child.toHandle().destroyForcibly();
                        killed = true;
                    }
                }
            }
            if (!child.waitFor(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the child JVM did not end within 60 s");
            }
            return new Run(calls, killed, child.exitValue());
        } finally {
            child.destroyForcibly(); // a no-op once it ended; never leave a child behind
        }
    }

    /** The model calls whose results the journal in {@code journal} holds. */
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

    /** The files directly in {@code workspace}, by name, with their contents. */
    static Map<String, String> files(Path workspace) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> paths = Files.list(workspace)) {
            for (Path path : paths.toList()) {
                files.put(path.getFileName().toString(), Files.readString(path));
            }
        }
        return files;
    }
}
