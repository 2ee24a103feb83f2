package dev.orchestrator.journal.postgres;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import javax.sql.DataSource;

/** Starts {@link PoolChild} JVMs and reads what they print; asks the database what they left. */
final class Children {

    /** The children's lease: short, so that a test waits little for one to expire. */
    static final long LEASE_MILLIS = 1_500;

    private Children() {
    }

    /** A child's output so far, and the process. */
    record Child(Process process, List<String> lines) {

        /** Reads lines until one matches {@code stop} (true) or the output ends (false). */
        boolean readUntil(BufferedReader out, Predicate<String> stop) throws IOException {
            String line;
            while ((line = out.readLine()) != null) {
                lines.add(line);
                if (stop.test(line)) {
                    return true;
                }
            }
            return false;
        }

        long calls() {
            return lines.stream().filter(l -> l.startsWith("call ")).count();
        }

        int exit() throws InterruptedException {
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("the child did not end within 120 s: " + lines);
            }
            return process.exitValue();
        }
    }

    static Process start(String schema, String owner, String... mode) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(), "-cp", System.getProperty("java.class.path"),
                PoolChild.class.getName(), TestDatabase.url(), schema, owner, Long.toString(LEASE_MILLIS)));
        command.addAll(List.of(mode));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    static BufferedReader output(Process process) {
        return new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    /** Runs a child to its end, with all it printed. */
    static Child runToEnd(String schema, String owner, String... mode) throws IOException, InterruptedException {
        Process process = start(schema, owner, mode);
        Child child = new Child(process, new ArrayList<>());
        try (BufferedReader out = output(process)) {
            child.readUntil(out, line -> false);
        }
        child.exit();
        return child;
    }

    /** A number the database answers to {@code sql}, with {@code {schema}} replaced. */
    static long query(DataSource db, String schema, String sql, Object... parameters) {
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement(sql.replace("{schema}", schema))) {
            for (int i = 0; i < parameters.length; i++) {
                s.setObject(i + 1, parameters[i]);
            }
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The model calls whose results the journal of {@code missionId} holds. */
    static long recordedCalls(DataSource db, String schema, String missionId) {
        return query(db, schema, "SELECT count(*) FROM {schema}.events WHERE mission_id = ? "
                + "AND event->>'type' = 'llm-call-completed'", missionId);
    }

    /**
     * Waits until the lease of {@code missionId} expired by the database's clock. Nothing announces an expiry, so
     * this waits for the time the database names rather than polling for it.
     */
    static void awaitExpiry(DataSource db, String schema, String missionId) throws InterruptedException {
        long millis = query(db, schema, "SELECT greatest(0, ceil(extract(epoch FROM lease_expires - "
                + "clock_timestamp()) * 1000)) FROM {schema}.missions WHERE mission_id = ?", missionId);
        Thread.sleep(millis + 50);
    }
}
