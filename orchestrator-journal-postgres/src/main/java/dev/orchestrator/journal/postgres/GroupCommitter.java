package dev.orchestrator.journal.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Writes the appends of every journal of a pool in batches: whatever queued while the previous batch was written goes
 * in one statement, so one round trip and one transaction, that locks each mission's lease row ({@code FOR SHARE}, so
 * a takeover waits for it), inserts the events whose token is still their mission's and commits. The appends'
 * futures complete after the commit, on a second thread, in the order they were made. It owns both threads and the
 * connection it writes on.
 */
final class GroupCommitter implements AutoCloseable {

    /** One event to write: its journal, its sequence number, its JSON, and whether it finishes the mission. */
    record Append(PostgresJournal journal, long seq, String json, boolean finishes, CompletableFuture<Long> done) {
    }

    private final Connector connector;
    private final String insert;
    private final Leases leases;
    private final int maxBatch;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition queued = lock.newCondition();
    private final ArrayDeque<Append> queue = new ArrayDeque<>();
    private final Thread writer;
    private final ExecutorService completer;
    private boolean closed;
    private Connection connection;

    GroupCommitter(Connector connector, Schema schema, Leases leases, int maxBatch, ThreadFactory threads) {
        this.connector = connector;
        this.leases = leases;
        this.maxBatch = maxBatch;
        String missions = schema.table("missions");
        // the lease rows are locked FOR SHARE until the commit, so a takeover waits for this statement to end
        this.insert = "WITH lease AS (SELECT mission_id, token FROM " + missions + " WHERE mission_id = ANY(?) "
                + "FOR SHARE), written AS (INSERT INTO " + schema.table("events") + " (mission_id, seq, token, event) "
                + "SELECT x.m, x.s, x.t, x.e::json FROM unnest(?::text[], ?::bigint[], ?::bigint[], ?::text[]) "
                + "AS x(m, s, t, e) JOIN lease ON lease.mission_id = x.m AND lease.token = x.t RETURNING mission_id), "
                + "finished AS (UPDATE " + missions + " SET finished = true WHERE mission_id = ANY(?) "
                + "AND mission_id IN (SELECT mission_id FROM written)) "
                + "SELECT DISTINCT mission_id FROM written";
        this.completer = Executors.newSingleThreadExecutor(threads);
        this.writer = threads.newThread(this::run);
        writer.start();
    }

    /** Queues {@code append}; its future completes once it is committed, or fails with the reason it was not. */
    void submit(Append append) {
        lock.lock();
        try {
            if (closed) {
                append.done().completeExceptionally(new IllegalStateException("the mission pool is closed"));
                return;
            }
            queue.add(append);
            queued.signal();
        } finally {
            lock.unlock();
        }
    }

    private void run() {
        List<Append> batch;
        while ((batch = take()) != null) {
            write(batch);
        }
        closeConnection();
    }

    /** The next batch, waiting for one; null once closed and drained. */
    private List<Append> take() {
        lock.lock();
        try {
            while (queue.isEmpty()) {
                if (closed) {
                    return null;
                }
                queued.awaitUninterruptibly();
            }
            List<Append> batch = new ArrayList<>(Math.min(queue.size(), maxBatch));
            while (!queue.isEmpty() && batch.size() < maxBatch) {
                batch.add(queue.poll());
            }
            return batch;
        } finally {
            lock.unlock();
        }
    }

    private void write(List<Append> batch) {
        Map<Append, RuntimeException> failed = new HashMap<>();
        List<Append> live = new ArrayList<>(batch.size());
        for (Append append : batch) {
            // a journal that failed accepts no more: its later events would leave a gap
            RuntimeException failure = append.journal().failure();
            if (failure != null) {
                failed.put(append, failure);
            } else {
                live.add(append);
            }
        }
        if (!live.isEmpty()) {
            try {
                commit(live, failed);
            } catch (SQLException | RuntimeException e) {
                closeConnection();
                for (Append append : live) {
                    RuntimeException failure = failed.computeIfAbsent(append,
                            a -> new JournalUnavailableException("commit the events of mission '"
                                    + a.journal().missionId() + "'", e));
                    append.journal().fail(failure);
                }
            }
        }
        completer.execute(() -> {
            for (Append append : batch) {
                RuntimeException failure = failed.get(append);
                if (failure == null) {
                    append.done().complete(append.seq());
                } else {
                    append.done().completeExceptionally(failure);
                }
            }
        });
    }

    /**
     * Commits {@code live} but the appends of journals whose lease was taken over, which go to {@code failed}: one
     * statement, so one round trip and one transaction, that locks the lease rows, inserts the events whose token is
     * still their mission's, and marks the missions that finished.
     */
    private void commit(List<Append> live, Map<Append, RuntimeException> failed) throws SQLException {
        Connection c = connection();
        int n = live.size();
        Object[] missions = new Object[n];
        Object[] seqs = new Object[n];
        Object[] tokens = new Object[n];
        Object[] events = new Object[n];
        Set<String> all = new LinkedHashSet<>();
        List<String> finishing = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Append a = live.get(i);
            missions[i] = a.journal().missionId();
            seqs[i] = a.seq();
            tokens[i] = a.journal().token();
            events[i] = a.json();
            all.add(a.journal().missionId());
            if (a.finishes()) {
                finishing.add(a.journal().missionId());
            }
        }
        Set<String> written = new HashSet<>();
        try (PreparedStatement statement = c.prepareStatement(insert)) {
            statement.setArray(1, c.createArrayOf("text", all.toArray()));
            statement.setArray(2, c.createArrayOf("text", missions));
            statement.setArray(3, c.createArrayOf("bigint", seqs));
            statement.setArray(4, c.createArrayOf("bigint", tokens));
            statement.setArray(5, c.createArrayOf("text", events));
            statement.setArray(6, c.createArrayOf("text", finishing.toArray()));
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    written.add(rs.getString(1));
                }
            }
        }
        if (written.size() < all.size()) {
            // rare: a mission was taken over; ask who holds it now, for the message
            Set<PostgresJournal> fencedJournals = new LinkedHashSet<>();
            live.stream().filter(a -> !written.contains(a.journal().missionId()))
                    .forEach(a -> fencedJournals.add(a.journal()));
            Map<PostgresJournal, LeaseLostException> fenced = leases.fence(c, fencedJournals);
            for (Append append : live) {
                if (!written.contains(append.journal().missionId())) {
                    failed.put(append, fenced.getOrDefault(append.journal(), new LeaseLostException(
                            append.journal().missionId(), append.journal().owner(), append.journal().token(),
                            "another process", -1)));
                }
            }
        }
    }

    private Connection connection() throws SQLException {
        if (connection == null) {
            Connection fresh = connector.connect();
            connection = fresh;
        }
        return connection;
    }

    /** Drops the connection after a failure (or at the end): the next batch opens a fresh one. */
    private void closeConnection() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // it is broken already: that is why it goes
            }
            connection = null;
        }
    }

    /** Writes what was queued, then stops both threads. Idempotent. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            queued.signal();
        } finally {
            lock.unlock();
        }
        try {
            writer.join();
            completer.shutdown();
            completer.awaitTermination(1, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
