package dev.orchestrator.journal.postgres;

import dev.orchestrator.api.MissionEvent;
import dev.orchestrator.core.journal.FileJournal;
import dev.orchestrator.core.journal.JournalCodec;
import dev.orchestrator.core.journal.SnapshotJournal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One mission's journal in PostgreSQL, held under the mission's lease: its events are rows keyed by (mission id,
 * sequence number) in the file journal's JSON, appended by its {@link MissionPool}'s group commit, and its newest
 * snapshot is a row of its own. Get one from {@link MissionPool#open(String)} or {@link MissionPool#takeOver()} and
 * give it to {@link dev.orchestrator.api.Mission.Builder#journal(dev.orchestrator.api.Journal)}.
 *
 * <p>Every append checks, in its commit's transaction, that the lease token this journal was opened with is still
 * the mission's: once another process took the mission over, appends fail with {@link LeaseLostException} and the
 * mission stops. An append the database did not commit fails with {@link JournalUnavailableException}. After either
 * the journal accepts no more appends; open the mission again to go on.
 */
public final class PostgresJournal implements SnapshotJournal {

    private final MissionPool pool;
    private final String missionId;
    private final long token;
    private final boolean finished;
    private final AtomicLong sinceSnapshot;
    private long lastSeq;
    private volatile long appendedBytes; // written under this journal's monitor, read without it
    private CompletableFuture<Long> lastAppend = CompletableFuture.completedFuture(0L);
    private volatile RuntimeException failure;
    private boolean closed;

    PostgresJournal(MissionPool pool, String missionId, long token, boolean finished, long lastSeq, long backlog) {
        this.pool = pool;
        this.missionId = missionId;
        this.token = token;
        this.finished = finished;
        this.lastSeq = lastSeq;
        this.sinceSnapshot = new AtomicLong(backlog);
    }

    /** The mission's id in the pool, as it was opened. */
    public String missionId() {
        return missionId;
    }

    /** The lease token this journal writes under: 1 for a new mission, one more on every takeover. */
    public long token() {
        return token;
    }

    /**
     * Whether the mission had finished (its {@code MissionFinished} event was committed) when this journal was
     * opened: running it again only returns its result. A takeover loop skips such missions.
     */
    public boolean finished() {
        return finished;
    }

    String owner() {
        return pool.owner();
    }

    /**
     * {@inheritDoc} The event is encoded on the calling thread; the future completes once the transaction that holds
     * it committed.
     */
    @Override
    public CompletableFuture<Long> append(MissionEvent event) {
        byte[] encoded;
        try {
            encoded = pool.codec().encode(event);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        String json = new String(encoded, StandardCharsets.UTF_8);
        CompletableFuture<Long> done = new CompletableFuture<>();
        // the sequence number and the queue's order are taken together, so each mission's rows go in in order
        synchronized (this) {
            if (closed) {
                return CompletableFuture.failedFuture(new IllegalStateException("the journal of mission '"
                        + missionId + "' is closed"));
            }
            RuntimeException failed = failure;
            if (failed != null) {
                return CompletableFuture.failedFuture(failed);
            }
            sinceSnapshot.incrementAndGet();
            appendedBytes += encoded.length;
            pool.committer(missionId).submit(new GroupCommitter.Append(this, ++lastSeq, json,
                    event instanceof MissionEvent.MissionFinished, done));
            lastAppend = done;
        }
        return done;
    }

    /** {@inheritDoc} The events' UTF-8 JSON, as the rows hold it. */
    @Override
    public long appendedBytes() {
        return appendedBytes;
    }

    /**
     * {@inheritDoc} Once a snapshot was written, replay starts after it. Events are read in pages, not all at once.
     *
     * @throws JournalUnavailableException if the database cannot be read
     * @throws dev.orchestrator.core.journal.JournalCorruptedException if a sequence number is missing
     */
    @Override
    public void replay(Consumer<? super MissionEvent> sink) {
        long after = latestSnapshot().map(FileJournal.Snapshot::seq).orElse(0L);
        try (Connection c = pool.connector().connect()) {
            // a cursor: PostgreSQL streams the rows only inside a transaction with a fetch size
            c.setAutoCommit(false);
            JournalReader.events(c, pool.schema(), pool.codec(), missionId, after, token, (seq, event) ->
                    sink.accept(event));
            c.commit();
        } catch (SQLException e) {
            throw new JournalUnavailableException("read the events of mission '" + missionId + "'", e);
        }
    }

    @Override
    public boolean snapshotDue() {
        return sinceSnapshot.get() >= pool.snapshotEvents();
    }

    /**
     * {@inheritDoc} In one transaction that checks the lease, the snapshot replaces the mission's previous one and the
     * events it covers are deleted.
     *
     * @throws LeaseLostException if another process took the mission over
     * @throws JournalUnavailableException if the database did not commit it
     */
    @Override
    public void snapshot(long seq, byte[] state) {
        long counted = sinceSnapshot.get();
        Schema schema = pool.schema();
        try (Connection c = pool.connector().connect()) {
            c.setAutoCommit(false);
            try {
                LeaseLostException lost = pool.leases().fence(c, List.of(this)).get(this);
                if (lost != null) {
                    throw lost;
                }
                try (PreparedStatement upsert = c.prepareStatement("INSERT INTO " + schema.table("snapshots")
                        + " (mission_id, seq, state) VALUES (?, ?, ?) ON CONFLICT (mission_id) DO UPDATE SET "
                        + "seq = EXCLUDED.seq, state = EXCLUDED.state, taken_at = now() "
                        + "WHERE " + schema.table("snapshots") + ".seq <= EXCLUDED.seq")) {
                    upsert.setString(1, missionId);
                    upsert.setLong(2, seq);
                    upsert.setBytes(3, state);
                    upsert.executeUpdate();
                }
                try (PreparedStatement prune = c.prepareStatement("DELETE FROM " + schema.table("events")
                        + " WHERE mission_id = ? AND seq <= ?")) {
                    prune.setString(1, missionId);
                    prune.setLong(2, seq);
                    prune.executeUpdate();
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new JournalUnavailableException("store a snapshot of mission '" + missionId + "'", e);
        }
        // what was appended while the snapshot was written still counts towards the next one
        sinceSnapshot.addAndGet(-counted);
    }

    /**
     * {@inheritDoc}
     *
     * @throws JournalUnavailableException if the database cannot be read
     */
    @Override
    public Optional<FileJournal.Snapshot> latestSnapshot() {
        try (Connection c = pool.connector().connect();
                PreparedStatement select = c.prepareStatement("SELECT seq, state FROM "
                        + pool.schema().table("snapshots") + " WHERE mission_id = ?")) {
            select.setString(1, missionId);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? Optional.of(new FileJournal.Snapshot(rs.getLong(1), rs.getBytes(2)))
                        : Optional.empty();
            }
        } catch (SQLException e) {
            throw new JournalUnavailableException("read the snapshot of mission '" + missionId + "'", e);
        }
    }

    /** Why the journal accepts no more appends, or null while it does. */
    RuntimeException failure() {
        return failure;
    }

    /** Stops the journal for good: the first reason stays. */
    void fail(RuntimeException reason) {
        synchronized (this) {
            if (failure == null) {
                failure = reason;
            }
        }
    }

    /**
     * Waits until what was appended is committed (or failed), then gives the lease up so that another process may
     * take the mission over at once, unless it finished. Idempotent.
     */
    @Override
    public void close() {
        CompletableFuture<Long> last;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            last = lastAppend;
        }
        last.exceptionally(e -> 0L).join();
        pool.release(this);
    }
}
