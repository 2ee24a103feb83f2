package dev.orchestrator.benchmarks.journal;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The baseline of the append benchmark: SQLite through sqlite-jdbc in WAL mode with {@code synchronous=FULL}, each
 * insert its own transaction, so that each is durable when it returns, like a journal append. The appenders share
 * one connection in turn: SQLite writes one transaction at a time anyway, and separate connections would only add
 * its busy-wait back-off (sleeps of milliseconds) to that.
 */
final class SqliteBaseline implements AutoCloseable {

    private final Connection connection;
    private final PreparedStatement insert;
    private final ReentrantLock turn = new ReentrantLock();

    SqliteBaseline(Path file) throws SQLException {
        connection = DriverManager.getConnection("jdbc:sqlite:" + file);
        try (Statement s = connection.createStatement()) {
            try (ResultSet mode = s.executeQuery("PRAGMA journal_mode=WAL")) {
                if (!mode.next() || !mode.getString(1).equalsIgnoreCase("wal")) {
                    throw new SQLException("SQLite did not switch " + file + " to WAL mode");
                }
            }
            s.execute("PRAGMA synchronous=FULL");
            s.execute("CREATE TABLE events (seq INTEGER PRIMARY KEY, payload BLOB NOT NULL)");
            // autocommit: each insert is a transaction of its own
            insert = connection.prepareStatement("INSERT INTO events (payload) VALUES (?)");
        } catch (SQLException | RuntimeException e) {
            connection.close(); // nobody else will
            throw e;
        }
    }

    /** Inserts {@code payload} in a transaction of its own; durable when it returns. */
    void insert(byte[] payload) throws SQLException {
        turn.lock();
        try {
            insert.setBytes(1, payload);
            insert.executeUpdate();
        } finally {
            turn.unlock();
        }
    }

    @Override
    public void close() throws SQLException {
        try (connection; insert) {
            // closes both, the statement first
        }
    }
}
