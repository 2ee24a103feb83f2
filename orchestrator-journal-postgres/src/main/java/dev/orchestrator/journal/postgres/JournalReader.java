package dev.orchestrator.journal.postgres;

import dev.orchestrator.core.journal.FileJournal;
import dev.orchestrator.core.journal.JournalCodec;
import dev.orchestrator.core.journal.JournalCorruptedException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * Reads the missions' journals in a database without claiming a lease or changing anything, so that tools (the
 * command line's {@code status}, {@code events}, {@code report} and {@code verify-journal}) read beside the processes
 * that run the missions. It creates no schema and starts no thread; each call borrows one connection and reads in one
 * read-only, repeatable-read transaction, so a mission's lease, snapshot and events are seen as of one moment.
 */
public final class JournalReader {

    private final DataSource dataSource;
    private final Schema schema;
    private final JournalCodec codec = new JournalCodec();

    /**
     * A reader of the journals in {@code schema} ({@code orchestrator} unless the pools were built with another).
     *
     * @throws IllegalArgumentException if {@code schema} is not a lower-case SQL identifier
     */
    public JournalReader(DataSource dataSource, String schema) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.schema = new Schema(schema);
    }

    /**
     * A mission as its lease row and journal stand.
     *
     * @param missionId the mission's id in the pool
     * @param owner the process that holds or held its lease
     * @param token the lease token: 1, and one more on every takeover
     * @param leaseExpires when the lease expires or expired, by the database's clock
     * @param finished whether its {@code MissionFinished} event was committed
     * @param snapshotSeq the sequence number of its newest snapshot, 0 for none; the events up to it are gone
     * @param lastSeq its last event's sequence number, 0 for none
     */
    public record Mission(String missionId, String owner, long token, Instant leaseExpires, boolean finished,
            long snapshotSeq, long lastSeq) {
    }

    /**
     * The missions in the schema, the most recently created first.
     *
     * @throws IllegalArgumentException if the database has no journal in this schema
     * @throws JournalUnavailableException if the database cannot be read
     */
    public List<Mission> missions() {
        return inTransaction("list the missions", c -> {
            List<Mission> missions = new ArrayList<>();
            try (PreparedStatement select = c.prepareStatement(missionSql("") + " ORDER BY m.created_at DESC, "
                    + "m.mission_id"); ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    missions.add(mission(rs));
                }
            }
            return missions;
        });
    }

    /**
     * Reads mission {@code missionId}'s journal: checks that its sequence numbers follow one another from its
     * snapshot on and that no event was written under an older lease than the one before it (what fencing
     * guarantees), decodes every event after {@code afterSeq} and gives it to {@code sink}, oldest first.
     *
     * @param afterSeq give only the events after this sequence number; 0 for all
     * @return the mission as of the moment the events were read
     * @throws IllegalArgumentException if there is no such mission (the message names those there are) or no journal
     *     in this schema
     * @throws JournalCorruptedException if a sequence number is missing or an event was written after a takeover
     *     under the older lease
     * @throws IllegalStateException if an event cannot be decoded by this version
     * @throws JournalUnavailableException if the database cannot be read
     */
    public Mission read(String missionId, long afterSeq, FileJournal.EventSink sink) {
        return inTransaction("read the events of mission '" + missionId + "'", c -> {
            Mission mission;
            try (PreparedStatement select = c.prepareStatement(missionSql(" WHERE m.mission_id = ?"))) {
                select.setString(1, missionId);
                try (ResultSet rs = select.executeQuery()) {
                    if (!rs.next()) {
                        throw new IllegalArgumentException("no mission '" + missionId + "' in schema '"
                                + schema.name() + "'" + namesOf(c));
                    }
                    mission = mission(rs);
                }
            }
            events(c, schema, codec, missionId, Math.max(afterSeq, mission.snapshotSeq()), mission.token(), sink);
            return mission;
        });
    }

    /**
     * Gives {@code sink} the events of {@code missionId} after {@code afterSeq}, checking that each follows the last
     * and was written under a lease token no older than the last one's and at most {@code maxToken}; the one read
     * of events that both replay and {@link #read} use. {@code c} must not be in auto-commit, so that the rows come
     * through a cursor, a page at a time.
     */
    static void events(Connection c, Schema schema, JournalCodec codec, String missionId, long afterSeq,
            long maxToken, FileJournal.EventSink sink) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT seq, token, event::text FROM "
                + schema.table("events") + " WHERE mission_id = ? AND seq > ? ORDER BY seq")) {
            select.setFetchSize(512);
            select.setString(1, missionId);
            select.setLong(2, afterSeq);
            long expected = afterSeq + 1;
            long lastToken = 0;
            String table = schema.table("events");
            String where = table + " (mission '" + missionId + "')";
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    long seq = rs.getLong(1);
                    long token = rs.getLong(2);
                    if (seq != expected) {
                        throw new JournalCorruptedException(where, 0, expected, "mission '" + missionId + "' in "
                                + table + " has seq " + seq + " where seq " + expected + " should follow: rows were "
                                + "deleted outside the journal; restore the table from a backup");
                    }
                    if (token < lastToken || token > maxToken) {
                        throw new JournalCorruptedException(where, 0, seq, "mission '" + missionId + "' in " + table
                                + " has seq " + seq + " written under lease token " + token + " after token "
                                + lastToken + " (the mission's token is " + maxToken + "): a process wrote after "
                                + "losing its lease, which the journal's fencing refuses; report it as a bug");
                    }
                    sink.accept(seq, codec.decode(rs.getString(3).getBytes(StandardCharsets.UTF_8), seq));
                    expected = seq + 1;
                    lastToken = token;
                }
            }
        }
    }

    private String missionSql(String where) {
        return "SELECT m.mission_id, m.owner, m.token, m.lease_expires, m.finished, coalesce(s.seq, 0), "
                + "coalesce((SELECT max(e.seq) FROM " + schema.table("events") + " e WHERE e.mission_id = "
                + "m.mission_id), s.seq, 0) FROM " + schema.table("missions") + " m LEFT JOIN "
                + schema.table("snapshots") + " s ON s.mission_id = m.mission_id" + where;
    }

    private static Mission mission(ResultSet rs) throws SQLException {
        return new Mission(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getTimestamp(4).toInstant(),
                rs.getBoolean(5), rs.getLong(6), rs.getLong(7));
    }

    private String namesOf(Connection c) throws SQLException {
        List<String> names = new ArrayList<>();
        try (PreparedStatement select = c.prepareStatement("SELECT mission_id FROM " + schema.table("missions")
                + " ORDER BY created_at DESC, mission_id LIMIT 21"); ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                names.add("'" + rs.getString(1) + "'");
            }
        }
        if (names.isEmpty()) {
            return ": it holds no mission yet";
        }
        return ": it holds " + String.join(", ", names.subList(0, Math.min(20, names.size())))
                + (names.size() > 20 ? " and more" : "");
    }

    /** What runs in the read's transaction. */
    @FunctionalInterface
    private interface Read<T> {
        T run(Connection c) throws SQLException;
    }

    private <T> T inTransaction(String doing, Read<T> read) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            c.setReadOnly(true);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            try {
                requireSchema(c);
                T result = read.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new JournalUnavailableException(doing, e);
        }
    }

    private void requireSchema(Connection c) throws SQLException {
        try (PreparedStatement exists = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            exists.setString(1, schema.table("missions"));
            try (ResultSet rs = exists.executeQuery()) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    throw new IllegalArgumentException("the database holds no mission journal in schema '"
                            + schema.name() + "': name the schema the missions' pools use (MissionPool.builder("
                            + "...).schema(name))");
                }
            }
        }
    }
}
