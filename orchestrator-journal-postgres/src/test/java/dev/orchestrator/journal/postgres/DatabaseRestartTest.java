package dev.orchestrator.journal.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.LlmProvider;
import dev.orchestrator.api.MissionEvent;
import dev.orchestrator.api.MissionResult;
import dev.orchestrator.core.llm.ScriptedProvider;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

/** The database stops in the middle of a mission and comes back. */
class DatabaseRestartTest {

    @TempDir
    Path root;

    private EmbeddedPostgres start(Path data, int port) {
        try {
            return EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false).setPort(port)
                    .setPGStartupWait(TestDatabase.STARTUP_WAIT).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Waits until the stopped server has really gone: the library's stop gives up after 5 s and returns while a
     * loaded machine's server may still be shutting down, and a server started over it fails. The server deletes
     * its {@code postmaster.pid} as it exits.
     */
    private static void awaitExit(Path data) throws IOException, InterruptedException {
        Path pid = data.resolve("postmaster.pid");
        try (WatchService watch = data.getFileSystem().newWatchService()) {
            data.register(watch, StandardWatchEventKinds.ENTRY_DELETE);
            long deadline = System.nanoTime() + TestDatabase.STARTUP_WAIT.toNanos();
            while (Files.exists(pid)) {
                WatchKey key = watch.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (key == null) {
                    throw new IllegalStateException("the stopped PostgreSQL did not exit within "
                            + TestDatabase.STARTUP_WAIT);
                }
                key.pollEvents();
                key.reset();
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Test
    void appendsFailWhileTheDatabaseIsDownTheMissionStopsAndResumesAfterwardsWithNothingLost() throws Exception {
        Path data = root.resolve("data");
        int port = freePort();
        EmbeddedPostgres[] postgres = {start(data, port)};
        PGSimpleDataSource db = new PGSimpleDataSource();
        db.setUrl(postgres[0].getJdbcUrl("postgres", "postgres"));
        Path reference = Files.createDirectory(root.resolve("reference"));
        Path workspace = Files.createDirectory(root.resolve("w"));
        try (MissionPool pool = MissionPool.builder(db).owner("restart").build()) {
            ScriptedProvider crashFree = Team.manyFiles(Duration.ZERO);
            try (PostgresJournal journal = pool.open("reference")) {
                assertTrue(Team.manyFilesMission(reference, crashFree, journal).run().isCompleted());
            }

            // the database stops as the 30th model call is made
            ScriptedProvider firstScript = Team.manyFiles(Duration.ZERO);
            AtomicInteger calls = new AtomicInteger();
            LlmProvider stopping = Team.watched(firstScript, request -> {
                if (calls.incrementAndGet() == 30) {
                    try {
                        postgres[0].close();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            });
            MissionResult stopped;
            try (PostgresJournal journal = pool.open("m")) {
                stopped = Team.manyFilesMission(workspace, stopping, journal).run();
            }
            assertEquals(MissionResult.Outcome.FAILED, stopped.outcome());
            assertTrue(stopped.reason().contains("could not commit the events of mission 'm'"), stopped.reason());

            awaitExit(data);
            postgres[0] = start(data, port);
            ScriptedProvider secondScript = Team.manyFiles(Duration.ZERO);
            List<MissionEvent> events = new ArrayList<>();
            long recordedBefore;
            MissionResult resumed;
            try (PostgresJournal journal = pool.open("m")) {
                recordedBefore = Children.recordedCalls(db, "orchestrator", "m");
                resumed = Team.manyFilesMission(workspace, secondScript, journal).run();
                journal.replay(events::add);
            }
            assertTrue(resumed.isCompleted(), resumed.reason());
            assertEquals(Team.files(reference), Team.files(workspace));
            long lost = firstScript.callCount() - recordedBefore;
            assertTrue(lost >= 0 && lost <= Team.MAX_PARALLEL, lost + " calls lost with the database");
            assertEquals(crashFree.callCount() + lost, firstScript.callCount() + secondScript.callCount());
            assertEquals(crashFree.callCount(), events.stream()
                    .filter(MissionEvent.LlmCallCompleted.class::isInstance).count(), "every call recorded once");
            assertEquals(events.size(), Children.query(db, "orchestrator", "SELECT max(seq) FROM {schema}.events "
                    + "WHERE mission_id = 'm'"), "the sequence has no gap");
        } finally {
            postgres[0].close();
        }
    }
}
