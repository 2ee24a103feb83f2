package dev.orchestrator.journal.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.MissionResult;
import java.io.BufferedReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two processes, one mission: process A (a child JVM) runs it and is killed ({@code kill -9}) or paused
 * ({@code SIGSTOP}) past its lease; process B takes the mission over and completes it.
 */
class TakeoverTest {

    private static final long LATENCY_MILLIS = 30;
    private static final DataSource DB = TestDatabase.dataSource();
    private static final String SCHEMA = TestDatabase.freshSchema("takeover");
    private static long referenceCalls;
    private static Map<String, String> referenceFiles;

    @TempDir
    Path root;

    @BeforeAll
    static void crashFreeRun(@TempDir Path reference) throws Exception {
        Children.Child run = Children.runToEnd(SCHEMA, "reference", "run", "reference", reference.toString(),
                Long.toString(LATENCY_MILLIS));
        assertEquals(0, run.exit(), "the crash-free run must complete: " + run.lines());
        referenceCalls = run.calls();
        referenceFiles = Team.files(reference);
    }

    /** Starts A on mission {@code missionId} and reads its output until its {@code calls}-th model call starts. */
    private Children.Child startA(String missionId, Path workspace, int calls, BufferedReader[] out)
            throws Exception {
        Process process = Children.start(SCHEMA, "A", "run", missionId, workspace.toString(),
                Long.toString(LATENCY_MILLIS));
        Children.Child a = new Children.Child(process, new ArrayList<>());
        out[0] = Children.output(process);
        int[] seen = {0};
        assertTrue(a.readUntil(out[0], line -> line.startsWith("call ") && ++seen[0] == calls),
                "A ended before its call " + calls + ": " + a.lines());
        return a;
    }

    @Test
    void aMissionWhoseProcessWasKilledIsTakenOverAndCompletesPayingOnlyForCallsInFlight() throws Exception {
        Path workspace = Files.createDirectory(root.resolve("w"));
        BufferedReader[] out = new BufferedReader[1];
        Children.Child a = startA("killed", workspace, 25, out);
        // SIGKILL: no shutdown hook, no close, the lease is left to expire. Sent with kill(1), not destroyForcibly,
        // which would close the pipe: the calls A announced before it died and this test had not read yet started
        // too (and may be recorded), so they are read to the end
        signal("KILL", a.process());
        a.readUntil(out[0], line -> false);
        a.exit();
        out[0].close();
        long inFlight = a.calls() - Children.recordedCalls(DB, SCHEMA, "killed");
        assertTrue(inFlight >= 0 && inFlight <= Team.MAX_PARALLEL, inFlight + " calls in flight at the kill");

        Children.awaitExpiry(DB, SCHEMA, "killed");
        Children.Child b = Children.runToEnd(SCHEMA, "B", "run", "killed", workspace.toString(),
                Long.toString(LATENCY_MILLIS));

        assertEquals(0, b.exit(), "B completes the mission: " + b.lines());
        System.out.println("takeover after kill -9: crash-free " + referenceCalls + " calls; A " + a.calls()
                + " (" + inFlight + " in flight at the kill), B " + b.calls());
        assertEquals(referenceFiles, Team.files(workspace));
        assertEquals(referenceCalls + inFlight, a.calls() + b.calls(),
                "A made " + a.calls() + " calls, B " + b.calls() + ", " + inFlight + " were in flight at the kill");
        assertEquals(2, Children.query(DB, SCHEMA, "SELECT token FROM {schema}.missions WHERE mission_id = ?",
                "killed"));
    }

    @Test
    void aPausedProcessThatLostItsLeaseCannotWriteAndStopsWhileTheNewOwnerCompletes() throws Exception {
        Path workspace = Files.createDirectory(root.resolve("w"));
        BufferedReader[] out = new BufferedReader[1];
        Children.Child a = startA("paused", workspace, 20, out);
        signal("STOP", a.process());
        try (MissionPool b = MissionPool.builder(DB).schema(SCHEMA).owner("B")
                .leaseDuration(Duration.ofMillis(Children.LEASE_MILLIS)).build()) {
            Children.awaitExpiry(DB, SCHEMA, "paused");
            PostgresJournal journal = b.open("paused");
            long takenOverAt = Children.query(DB, SCHEMA, "SELECT coalesce(max(seq), 0) FROM {schema}.events "
                    + "WHERE mission_id = ?", "paused");

            signal("CONT", a.process());
            a.readUntil(out[0], line -> false);
            out[0].close();
            assertEquals(1, a.exit(), "A stops: " + a.lines());
            assertTrue(a.lines().stream().anyMatch(l -> l.startsWith("outcome FAILED")
                    && l.contains("was taken over by 'B' (lease token 2)")), String.join("\n", a.lines()));
            assertEquals(0, Children.query(DB, SCHEMA, "SELECT count(*) FROM {schema}.events WHERE mission_id = ? "
                    + "AND token = 1 AND seq > ?", "paused", takenOverAt), "an event of A's landed after the takeover");

            MissionResult result;
            try (journal) {
                result = Team.manyFilesMission(workspace, Team.manyFiles(Duration.ZERO), journal).run();
            }
            assertTrue(result.isCompleted(), result.reason());
            assertEquals(referenceFiles, Team.files(workspace));
        }
    }

    private static void signal(String signal, Process process) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
        assertEquals(0, kill.waitFor(), "kill -" + signal);
    }
}
