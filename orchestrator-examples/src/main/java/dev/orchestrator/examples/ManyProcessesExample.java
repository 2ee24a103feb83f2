package dev.orchestrator.examples;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.orchestrator.api.LlmProvider;
import dev.orchestrator.cli.ConsoleProgress;
import dev.orchestrator.cli.QuickStartScript;
import dev.orchestrator.api.MissionResult;
import dev.orchestrator.journal.postgres.MissionPool;
import dev.orchestrator.journal.postgres.PostgresJournal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The quick start's mission with its journal in PostgreSQL, as several processes would share it: it first takes
 * over the missions of processes that died (their lease expired), then runs its own. Start it, kill it
 * ({@code kill -9}, Ctrl-C), start it again (here or on another machine that sees the same directory): after the
 * lease of the first run expired (10 s here), the second resumes its mission without repeating a finished model
 * call. A live first run keeps the mission to itself; the second says so.
 *
 * <pre>
 * mvn -q -B install -DskipTests &amp;&amp; mvn -q -pl orchestrator-examples exec:java \
 *     -Dexec.mainClass=dev.orchestrator.examples.ManyProcessesExample \
 *     -Dexec.args="jdbc:postgresql://localhost:5432/postgres?user=postgres /tmp/missions greet"
 * </pre>
 *
 * <p>Arguments: the JDBC URL, the directory that holds a workspace per mission, the mission's id.
 */
public final class ManyProcessesExample {

    private static final String PROGRAM = "many processes";

    private ManyProcessesExample() {
    }

    public static void main(String[] args) {
        if (args.length != 3) {
            System.err.println(PROGRAM + ": give the JDBC URL, the directory of the workspaces and the mission's id, "
                    + "e.g. jdbc:postgresql://localhost:5432/postgres?user=postgres /tmp/missions greet");
            System.exit(Exits.CONFIGURATION);
        }
        Path root = Path.of(args[1]);
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(args[0]);
        config.setMaximumPoolSize(4);
        config.setInitializationFailTimeout(-1); // an unreachable database is reported by the pool's first query
        try (HikariDataSource db = Exits.configured(PROGRAM, () -> new HikariDataSource(config));
                MissionPool pool = Exits.configured(PROGRAM, () -> MissionPool.builder(db)
                        .leaseDuration(Duration.ofSeconds(10)).build())) {
            System.out.println("Process " + pool.owner());
            List<PostgresJournal> orphans = pool.takeOver();
            for (PostgresJournal orphan : orphans) {
                // the workspace of a mission is root/<its id>: it must be reachable from this process
                System.out.println("Taking over mission '" + orphan.missionId() + "' (lease token "
                        + orphan.token() + ")");
                report(orphan.missionId(), run(orphan, root));
            }
            if (orphans.stream().noneMatch(j -> j.missionId().equals(args[2]))) {
                PostgresJournal journal = Exits.configured(PROGRAM, () -> pool.open(args[2]));
                System.out.println((journal.token() == 1 ? "Starting" : "Resuming") + " mission '" + args[2]
                        + "' (lease token " + journal.token() + ")");
                MissionResult result = run(journal, root);
                report(args[2], result);
                Exits.exitUnlessCompleted(result);
            }
        }
    }

    private static MissionResult run(PostgresJournal journal, Path root) {
        try (journal; ConsoleProgress board = ConsoleProgress.toStandardOutput()) {
            Path workspace = Exits.configured(PROGRAM, () -> Files.createDirectories(root.resolve(journal.missionId())));
            LlmProvider provider = QuickStartScript.provider(Duration.ofMillis(150));
            return Exits.await(Exits.configured(PROGRAM, () -> QuickStart.builder(workspace, provider, board)
                    .journal(journal).build().start()));
        }
    }

    private static void report(String missionId, MissionResult result) {
        System.out.println("Mission '" + missionId + "': " + result.outcome()
                + (result.isCompleted() ? "" : " (" + result.reason() + ")"));
    }
}
