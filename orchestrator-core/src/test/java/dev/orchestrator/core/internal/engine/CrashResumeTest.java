package dev.orchestrator.core.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a real child JVM running a mission with {@code kill -9} at random moments, resumes it each time, and
 * checks that the mission completes with the crash-free files and pays only for the calls that were in flight.
 */
class CrashResumeTest {

    private static final int KILLS = 10;

    @TempDir
    Path root;

    @Test
    void aMissionKilledAtRandomMomentsResumesToTheCrashFreeResultPayingOnlyForCallsInFlight() throws Exception {
        CrashHarness harness = new CrashHarness(KILLS);
        CrashHarness.Reference reference = harness.reference(Files.createDirectory(root.resolve("reference")),
                root.resolve("reference-journal"));
        assertEquals(0, reference.exitCode(), "the crash-free run must complete");

        CrashHarness.Outcome outcome = harness.killAndResume(Files.createDirectory(root.resolve("crashed")),
                root.resolve("crashed-journal"), System.nanoTime());

        // the figures go to the test report, where the closing notes of this work quote them from
        System.out.println("crash-free: " + reference.calls() + " calls; " + outcome);
        assertTrue(outcome.inFlightWithinBounds(), "more calls lost than could be in flight: " + outcome);
        assertEquals(0, outcome.exitCode(), outcome.toString());
        assertEquals(reference.files(), outcome.files(), outcome.toString());
        assertEquals(reference.calls() + outcome.inFlightAtKills(), outcome.totalCalls(), outcome.toString());
        assertEquals(KILLS, outcome.kills(), outcome.toString());
    }
}
