package dev.orchestrator.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.MissionResult;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CrashRecoveryExampleTest {

    @TempDir
    Path directory;

    @Test
    void aMissionKilledMidWayResumesAndPaysOnlyForWhatTheJournalLacked() throws Exception {
        CrashRecoveryExample.Report report = CrashRecoveryExample.crashAndResume(directory, 4);

        assertEquals(MissionResult.Outcome.COMPLETED, report.result().outcome(), report.result().reason());
        for (int i = 1; i <= CrashRecoveryExample.TODOS; i++) {
            assertEquals("file " + i + "\n", Files.readString(directory.resolve("workspace/t" + i + ".txt")));
        }
        // the brief, the plan and two calls of each of the four finished todos at least were journaled
        assertTrue(report.answeredByJournal() >= 2 + 2 * 4, report.describe());
        // every call the killed run completed is answered from the journal: none is paid twice
        assertEquals(CrashRecoveryExample.CRASH_FREE_CALLS, report.answeredByJournal() + report.resumedCalls(),
                report.describe());
        assertTrue(report.describe().contains("the journal answered " + report.answeredByJournal() + " model calls"),
                report.describe());
    }
}
