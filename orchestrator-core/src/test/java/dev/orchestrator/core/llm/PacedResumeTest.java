package dev.orchestrator.core.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.MissionEvent;
import dev.orchestrator.core.journal.FileJournal;
import dev.orchestrator.test.MockLlmServer;
import dev.orchestrator.test.MockReply;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A mission learns from 429s how fast a loopback server lets it send, is killed, and is resumed in a fresh JVM, whose
 * limiter knows nothing: resumed from its journal it starts at the rate it learned, and meets fewer 429s than the
 * same resume of a journal without the rates (as versions before them wrote it), which sends at full speed at first.
 */
class PacedResumeTest {

    /**
     * The server's bucket: two requests a second, two at once (one would refuse a paced send that a loaded machine
     * delayed onto the next); a refusal says when one more fits.
     */
    private static final double RATE_PER_SECOND = 2;
    private static final int BURST = 2;
    /** Model calls each resume completes before it is killed. */
    private static final int CALLS_PER_RESUME = 8;

    @TempDir
    Path root;

    @Test
    void aResumeStartsAtTheRateTheMissionLearnedInsteadOfMeetingTheSame429sAgain() throws Exception {
        String apiKey = "sk-test-" + UUID.randomUUID();
        Path workspace = Files.createDirectories(root.resolve("workspace"));
        Path journal = root.resolve("journal");
        Path stripped = root.resolve("journal-without-rates");
        try (MockLlmServer server = new MockLlmServer().limitRequests(RATE_PER_SECOND, BURST)
                .respondWith(request -> MockReply.json(200, PlayedModel.answer(request, PacedChild.TODOS)))) {
            String baseUrl = server.url("/v1");
            assertEquals(PacedChild.HALTED, runChild(baseUrl, apiKey, workspace, journal, 2, "paced"),
                    "the first run ends itself once the pacer has learned a rate");
            assertTrue(lastRequestRate(journal) > 0, "the learned rate is journaled");
            stripRates(journal, stripped);

            // both resumes go on in the one workspace: what its files hold changes nothing the server refuses
            int refusedBefore = server.refusals().size();
            assertEquals(PacedChild.HALTED, runChild(baseUrl, apiKey, workspace, stripped, CALLS_PER_RESUME,
                    "all"));
            int refusedWithout = server.refusals().size() - refusedBefore;
            refusedBefore = server.refusals().size();
            assertEquals(PacedChild.HALTED, runChild(baseUrl, apiKey, workspace, journal, CALLS_PER_RESUME, "all"));
            int refusedWith = server.refusals().size() - refusedBefore;

            // the figures go to the test report
            System.out.printf("429s in a resume of %d calls: %d with the journaled rates, %d without%n",
                    CALLS_PER_RESUME, refusedWith, refusedWithout);
            assertTrue(refusedWithout > 0, "the resume without rates met no 429: the test would prove nothing");
            assertTrue(refusedWith < refusedWithout, refusedWith + " 429s with the rates restored, "
                    + refusedWithout + " without");
        }
    }

    /** Runs {@link PacedChild} on {@code workspace} and {@code journal} until it ends; returns its exit code. */
    private static int runChild(String baseUrl, String apiKey, Path workspace, Path journal, int calls, String count)
            throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path log = journal.resolveSibling(journal.getFileName() + "-" + count + ".log");
        Process child = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                PacedChild.class.getName(), baseUrl, apiKey, workspace.toString(), journal.toString(),
                Integer.toString(calls), count)
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            if (!child.waitFor(120, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the child JVM did not end within 120 s: see " + log);
            }
            return child.exitValue();
        } finally {
            child.destroyForcibly(); // a no-op once it ended; never leave a child behind
        }
    }

    private static double lastRequestRate(Path journal) {
        List<Double> rates = new ArrayList<>();
        try (FileJournal read = FileJournal.open(journal)) {
            read.replay(event -> {
                if (event instanceof MissionEvent.ConcurrencyChanged changed) {
                    rates.add(changed.requestsPerMinute());
                }
            });
        }
        return rates.isEmpty() ? 0 : rates.getLast();
    }

    /** Writes {@code from}'s events to a new journal {@code to}, the limit changes without the pacer's rates. */
    private static void stripRates(Path from, Path to) {
        try (FileJournal source = FileJournal.open(from); FileJournal target = FileJournal.open(to)) {
            source.replay(event -> target.append(event instanceof MissionEvent.ConcurrencyChanged c
                    ? new MissionEvent.ConcurrencyChanged(c.limiter(), c.limit(), c.pausedUntil(), c.cause(), c.at())
                    : event).join());
        }
    }
}
