package dev.orchestrator.journal.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The SQL of the missions' lease rows. Expiry is measured by the database's clock ({@code clock_timestamp()}), the
 * one clock every process shares, so processes on machines whose clocks disagree still agree on who holds a lease.
 */
final class Leases {

    /** A lease this process won: the token to write under, and where the mission's journal stands. */
    record Claim(long token, boolean finished, long lastSeq, long backlog) {
    }

    private final String missions;
    private final String events;
    private final String snapshots;
    private final double seconds;

    Leases(Schema schema, Duration duration) {
        this.missions = schema.table("missions");
        this.events = schema.table("events");
        this.snapshots = schema.table("snapshots");
        this.seconds = duration.toNanos() / 1e9;
    }

    /**
     * Claims the mission for {@code owner}: a new mission starts at token 1, one whose lease expired (or was given
     * up, or is held by this same owner: a journal of this process that failed) is taken over with the next token;
     * empty if another owner's live lease holds it.
     */
    Optional<Claim> claim(Connection c, String missionId, String owner) throws SQLException {
        long token;
        boolean finished;
        try (PreparedStatement claim = c.prepareStatement("INSERT INTO " + missions
                + " AS m (mission_id, owner, token, lease_expires) VALUES (?, ?, 1, clock_timestamp() + "
                + "make_interval(secs => ?)) ON CONFLICT (mission_id) DO UPDATE SET owner = EXCLUDED.owner, "
                + "token = m.token + 1, lease_expires = EXCLUDED.lease_expires "
                + "WHERE m.lease_expires < clock_timestamp() OR m.owner = EXCLUDED.owner RETURNING token, finished")) {
            claim.setString(1, missionId);
            claim.setString(2, owner);
            claim.setDouble(3, seconds);
            try (ResultSet rs = claim.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                token = rs.getLong(1);
                finished = rs.getBoolean(2);
            }
        }
        try (PreparedStatement where = c.prepareStatement("SELECT coalesce((SELECT seq FROM " + snapshots
                + " WHERE mission_id = ?), 0), coalesce((SELECT max(seq) FROM " + events + " WHERE mission_id = ?), 0), "
                + "(SELECT count(*) FROM " + events + " WHERE mission_id = ?)")) {
            where.setString(1, missionId);
            where.setString(2, missionId);
            where.setString(3, missionId);
            try (ResultSet rs = where.executeQuery()) {
                rs.next();
                return Optional.of(new Claim(token, finished, Math.max(rs.getLong(1), rs.getLong(2)), rs.getLong(3)));
            }
        }
    }

    /** Why {@code missionId} could not be claimed: who holds it. */
    LeaseHeldException held(Connection c, String missionId) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT owner, token, lease_expires FROM " + missions
                + " WHERE mission_id = ?")) {
            select.setString(1, missionId);
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                return new LeaseHeldException(missionId, rs.getString(1), rs.getLong(2),
                        rs.getTimestamp(3).toInstant());
            }
        }
    }

    /** Extends the leases of {@code journals}; returns those whose token is no longer the mission's. */
    List<PostgresJournal> renew(Connection c, List<PostgresJournal> journals) throws SQLException {
        Set<String> renewed = new HashSet<>();
        try (PreparedStatement update = c.prepareStatement("UPDATE " + missions + " AS m SET lease_expires = "
                + "clock_timestamp() + make_interval(secs => ?) FROM unnest(?::text[], ?::bigint[]) AS x(id, tok) "
                + "WHERE m.mission_id = x.id AND m.token = x.tok RETURNING m.mission_id")) {
            update.setDouble(1, seconds);
            update.setArray(2, c.createArrayOf("text", journals.stream().map(PostgresJournal::missionId).toArray()));
            update.setArray(3, c.createArrayOf("bigint", journals.stream().map(PostgresJournal::token).toArray()));
            try (ResultSet rs = update.executeQuery()) {
                while (rs.next()) {
                    renewed.add(rs.getString(1));
                }
            }
        }
        List<PostgresJournal> lost = new ArrayList<>();
        for (PostgresJournal journal : journals) {
            if (!renewed.contains(journal.missionId())) {
                lost.add(journal);
            }
        }
        return lost;
    }

    /**
     * Locks the lease rows of {@code journals} until the transaction ends (so that a takeover waits for it) and fails
     * every journal whose token is no longer its mission's; returns those, with why.
     */
    Map<PostgresJournal, LeaseLostException> fence(Connection c, Collection<PostgresJournal> journals)
            throws SQLException {
        Map<String, String> owners = new HashMap<>();
        Map<String, Long> tokens = new HashMap<>();
        try (PreparedStatement select = c.prepareStatement("SELECT mission_id, owner, token FROM " + missions
                + " WHERE mission_id = ANY(?) FOR SHARE")) {
            select.setArray(1, c.createArrayOf("text", journals.stream().map(PostgresJournal::missionId).toArray()));
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    owners.put(rs.getString(1), rs.getString(2));
                    tokens.put(rs.getString(1), rs.getLong(3));
                }
            }
        }
        Map<PostgresJournal, LeaseLostException> lost = new HashMap<>();
        for (PostgresJournal journal : journals) {
            long token = tokens.getOrDefault(journal.missionId(), -1L);
            if (token != journal.token()) {
                LeaseLostException why = new LeaseLostException(journal.missionId(), journal.owner(),
                        journal.token(), owners.getOrDefault(journal.missionId(), "nobody (the mission was deleted)"),
                        token);
                journal.fail(why);
                lost.put(journal, why);
            }
        }
        return lost;
    }

    /** Gives the lease up (if it is still this journal's), so another process may take the mission at once. */
    void release(Connection c, PostgresJournal journal) throws SQLException {
        try (PreparedStatement update = c.prepareStatement("UPDATE " + missions + " SET lease_expires = "
                + "clock_timestamp() WHERE mission_id = ? AND token = ?")) {
            update.setString(1, journal.missionId());
            update.setLong(2, journal.token());
            update.executeUpdate();
        }
    }

    /** The unfinished missions whose lease expired, the longest expired first. */
    List<MissionPool.ExpiredLease> expired(Connection c, int limit) throws SQLException {
        List<MissionPool.ExpiredLease> found = new ArrayList<>();
        try (PreparedStatement select = c.prepareStatement("SELECT mission_id, owner, token, lease_expires FROM "
                + missions + " WHERE NOT finished AND lease_expires < clock_timestamp() ORDER BY lease_expires "
                + "LIMIT ?")) {
            select.setInt(1, limit);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    found.add(new MissionPool.ExpiredLease(rs.getString(1), rs.getString(2), rs.getLong(3),
                            rs.getTimestamp(4).toInstant()));
                }
            }
        }
        return found;
    }
}
