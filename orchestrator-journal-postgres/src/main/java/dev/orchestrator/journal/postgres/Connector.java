package dev.orchestrator.journal.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import javax.sql.DataSource;

/**
 * The pool's connections: each waits for the database's answer to a request for at most {@code timeout}, the lease
 * duration. An answer later than a lease could no longer be counted on (the lease may have passed to another process
 * by then), and without a bound a network partition that swallows the answer held a mission for as long as it
 * lasted: TCP notices nothing once the request was acknowledged. The driver breaks a connection whose request times
 * out; the journal fails with {@link JournalUnavailableException}, and the mission stops, to resume once the database
 * is back.
 */
record Connector(DataSource dataSource, Duration timeout) {

    /**
     * Bounds the data source's log-in by the timeout too, when nothing bounds it: PostgreSQL's own data sources wait
     * for ever by default, and a database that takes the connection and never answers held a pool's start for as
     * long as that lasted. A pool that keeps a connection timeout of its own (HikariCP's) reports it, and is left as
     * it is.
     */
    void boundLogin() {
        try {
            if (dataSource.getLoginTimeout() == 0) {
                dataSource.setLoginTimeout((int) Math.max(1, timeout.toSeconds()));
            }
        } catch (SQLException | UnsupportedOperationException e) {
            // a data source that cannot say or change it: its owner bounds it, or not
        }
    }

    /** A connection of the data source that waits on the database for at most the timeout; the caller closes it. */
    Connection connect() throws SQLException {
        Connection c = dataSource.getConnection();
        try {
            // PostgreSQL's driver sets the socket's read timeout and runs nothing on the executor
            c.setNetworkTimeout(Runnable::run, (int) Math.min(timeout.toMillis(), Integer.MAX_VALUE));
        } catch (SQLException | RuntimeException e) {
            try {
                c.close();
            } catch (SQLException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        return c;
    }
}
