package dev.orchestrator.cli;

import dev.orchestrator.core.journal.FileJournal;
import dev.orchestrator.journal.postgres.JournalReader;
import dev.orchestrator.journal.postgres.JournalUnavailableException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A mission's journal in a PostgreSQL database that {@code orchestrator-journal-postgres}'s pools write, read through
 * its {@link JournalReader}: no lease is claimed and nothing is changed. The user and password come from the URL,
 * else from {@code --db-user} or {@code PGUSER} and from {@code PGPASSWORD}; the password is never shown (the URL is
 * shown without it, and a driver's message with it masked). Loaded only when the optional jars are on the class path.
 */
final class PostgresSource implements JournalSource {

    /** How long connecting and logging in may take, unless the URL says ({@code loginTimeout=}). */
    private static final Duration LOGIN_TIMEOUT = Duration.ofSeconds(10);
    /** How long the database may be silent in the middle of an answer, unless the URL says ({@code socketTimeout=}). */
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);
    /** The database has no way to wake a follower here, so it reads again this often. */
    private static final Duration RECHECK = Duration.ofMillis(500);
    private static final Pattern PASSWORD = Pattern.compile("([?&]password=)[^&]*", Pattern.CASE_INSENSITIVE);

    private final String shownUrl;
    private final String user;
    private final String password;
    private final String schema;
    private final String missionId;
    private final JournalReader reader;
    /** The mission read last: the one named, or the database's only one. */
    private volatile String chosen;

    private PostgresSource(String shownUrl, String user, String password, String schema, String missionId,
            JournalReader reader) {
        this.shownUrl = shownUrl;
        this.user = user;
        this.password = password;
        this.schema = schema;
        this.missionId = missionId;
        this.chosen = missionId;
        this.reader = reader;
    }

    /**
     * Connects once to check the URL and the credentials, so that a mistake is one line that says what to change.
     *
     * @throws IllegalArgumentException if the URL is malformed, the database cannot be reached or refuses the user
     */
    static PostgresSource connect(String url, String missionId, String schema, String user,
            Map<String, String> environment) {
        String shown = PASSWORD.matcher(url).replaceAll("$1****");
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        try {
            dataSource.setURL(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a PostgreSQL JDBC URL: " + shown + ": give it as "
                    + "jdbc:postgresql://host:5432/database");
        }
        // the driver waits for ever by default: a database that takes the connection and never answers (a hung
        // server, a partition that drops packets) held the command until it was killed
        if (dataSource.getLoginTimeout() == 0) {
            dataSource.setLoginTimeout((int) LOGIN_TIMEOUT.toSeconds());
        }
        if (dataSource.getSocketTimeout() == 0) {
            dataSource.setSocketTimeout((int) READ_TIMEOUT.toSeconds());
        }
        if (user != null) {
            dataSource.setUser(user);
        } else if (dataSource.getUser() == null && environment.get("PGUSER") != null) {
            dataSource.setUser(environment.get("PGUSER"));
        }
        if (dataSource.getPassword() == null && environment.get("PGPASSWORD") != null) {
            dataSource.setPassword(environment.get("PGPASSWORD"));
        }
        String who = dataSource.getUser() == null ? System.getProperty("user.name") : dataSource.getUser();
        PostgresSource source = new PostgresSource(shown, who, dataSource.getPassword(), schema, missionId,
                new JournalReader(dataSource, schema));
        try (Connection c = dataSource.getConnection()) {
            c.isValid(1);
        } catch (SQLException e) {
            boolean refused = e.getSQLState() != null && e.getSQLState().startsWith("28");
            throw new IllegalArgumentException("cannot connect to PostgreSQL at " + shown + " as user '" + who
                    + "': " + source.masked(e.getMessage()) + (refused ? ": check the user and password (--db-user "
                    + "or PGUSER, and PGPASSWORD, or user= and password= in the URL)" : ": check that the database "
                    + "runs and that the URL's host, port and database are right"));
        }
        return source;
    }

    /** {@code text} with the password, should a driver ever repeat it, masked. */
    private String masked(String text) {
        String message = text == null ? "" : text.strip().replaceAll("\\.$", "");
        return password == null || password.isEmpty() ? message : message.replace(password, "****");
    }

    @Override
    public String name() {
        return (chosen == null ? "the missions" : "mission '" + chosen + "'") + " in " + shownUrl
                + " (schema " + schema + ")";
    }

    @Override
    public Contents read(long afterSeq, FileJournal.EventSink sink) {
        try {
            if (chosen == null) {
                chosen = onlyMission();
            }
            JournalReader.Mission mission = reader.read(chosen, afterSeq, sink);
            Map<String, Object> facts = new LinkedHashMap<>();
            facts.put("database", shownUrl);
            facts.put("schema", schema);
            facts.put("mission", mission.missionId());
            facts.put("owner", mission.owner());
            facts.put("leaseToken", mission.token());
            facts.put("leaseExpires", mission.leaseExpires().toString());
            return new Contents(mission.snapshotSeq(), mission.lastSeq(), "written under lease token "
                    + mission.token() + " of '" + mission.owner() + "', " + lease(mission), facts, Optional.empty());
        } catch (JournalUnavailableException e) {
            throw new IllegalStateException("cannot read " + name() + ": " + masked(e.getCause().getMessage())
                    + ": check that the database runs and is reachable", e);
        }
    }

    private static String lease(JournalReader.Mission mission) {
        if (mission.finished()) {
            return "finished";
        }
        return mission.leaseExpires().isAfter(Instant.now()) ? "its lease held until " + mission.leaseExpires()
                : "its lease expired at " + mission.leaseExpires() + " (another process may take it over)";
    }

    /** The database's one mission, when the user named none. */
    private String onlyMission() {
        List<JournalReader.Mission> missions = reader.missions();
        if (missions.size() == 1) {
            return missions.getFirst().missionId();
        }
        if (missions.isEmpty()) {
            throw new IllegalArgumentException("no mission in " + shownUrl + " (schema " + schema + ") yet");
        }
        StringBuilder listing = new StringBuilder(String.format(Locale.ROOT, "%d missions in %s (schema %s):%n",
                missions.size(), shownUrl, schema));
        listing.append(String.format(Locale.ROOT, "  %-24s %-9s %7s %6s  %s%n", "MISSION", "STATE", "EVENTS", "TOKEN",
                "OWNER"));
        Instant now = Instant.now();
        for (JournalReader.Mission m : missions) {
            String state = m.finished() ? "finished" : m.leaseExpires().isAfter(now) ? "running" : "stopped";
            listing.append(String.format(Locale.ROOT, "  %-24s %-9s %7d %6d  %s%n", m.missionId(), state,
                    m.lastSeq(), m.token(), m.owner()));
        }
        listing.append("name one with --mission ID");
        List<String> names = missions.stream().limit(10).map(m -> "'" + m.missionId() + "'").toList();
        throw new Choose(missions.size() + " missions in " + shownUrl + " (schema " + schema + "): "
                + String.join(", ", names) + (missions.size() > names.size() ? " and more" : "")
                + "; name one with --mission ID (orchestrator status " + shownUrl + " lists them)",
                listing.toString());
    }

    @Override
    public String checks() {
        return "every sequence number and lease token checked";
    }

    @Override
    public String resumeHint() {
        return "a process that reaches its workspace opens it again (MissionPool.open or takeOver)";
    }

    /** Reads again every half second: the journal does not notify (a NOTIFY in its commits would serialise them). */
    @Override
    public Changes changes() {
        return new Changes() {
            @Override
            public void await() throws InterruptedException {
                Thread.sleep(RECHECK);
            }

            @Override
            public void close() {
                // holds nothing between reads
            }
        };
    }
}
