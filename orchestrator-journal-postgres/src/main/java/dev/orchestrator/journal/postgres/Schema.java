package dev.orchestrator.journal.postgres;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The journal's tables in one schema, created or migrated by running the versioned scripts ({@code V1__journal.sql},
 * ...) that the database has not seen yet, each in its own transaction under an advisory lock.
 */
final class Schema {

    /** The scripts, oldest first; a new version appends one and never edits an older one. */
    private static final List<String> SCRIPTS = List.of("V1__journal.sql");
    private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    private final String name;

    Schema(String name) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("the journal's schema name must be a lower-case SQL identifier "
                    + "(letters, digits, underscores, at most 63), was '" + name + "'");
        }
        this.name = name;
    }

    /** The table's name qualified by the schema. */
    String table(String table) {
        return name + "." + table;
    }

    String name() {
        return name;
    }

    /** Runs the scripts the database lacks; a no-op on an up-to-date schema. */
    void migrate(Connector connector) {
        try (Connection connection = connector.connect()) {
            connection.setAutoCommit(false);
            for (int version = 1; version <= SCRIPTS.size(); version++) {
                try (PreparedStatement lock = connection.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
                    // one lock per schema: two processes that start at once do not both create the tables
                    lock.setLong(1, ("orchestrator-journal:" + name).hashCode());
                    lock.execute();
                }
                if (applied(connection) < version) {
                    try (Statement statement = connection.createStatement()) {
                        statement.execute(script(SCRIPTS.get(version - 1)));
                    }
                }
                connection.commit();
            }
        } catch (SQLException e) {
            // connection failures: SQLState class 08, or a pool's own (HikariCP's timeout carries no state)
            if (e instanceof SQLTransientConnectionException || e instanceof SQLNonTransientConnectionException
                    || e.getSQLState() != null && e.getSQLState().startsWith("08")) {
                throw new IllegalStateException("cannot reach the database to create or migrate the journal's schema '"
                        + name + "': " + e.getMessage() + ": check that it runs and that the network to it is up", e);
            }
            throw new IllegalStateException("cannot create or migrate the journal's schema '" + name + "': "
                    + e.getMessage() + "; the database user needs CREATE on the database (or create the schema "
                    + "with the script " + SCRIPTS.getLast() + " in this module's jar, and grant it)", e);
        }
    }

    private int applied(Connection connection) throws SQLException {
        try (PreparedStatement exists = connection.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            exists.setString(1, table("schema_version"));
            try (ResultSet rs = exists.executeQuery()) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    return 0;
                }
            }
        }
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT coalesce(max(version), 0) FROM "
                        + table("schema_version"))) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private String script(String file) {
        try (InputStream in = Schema.class.getResourceAsStream(file)) {
            if (in == null) {
                throw new IllegalStateException("the schema script " + file + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("{schema}", name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
