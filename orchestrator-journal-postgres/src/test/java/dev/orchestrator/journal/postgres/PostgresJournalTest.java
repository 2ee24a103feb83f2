package dev.orchestrator.journal.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.MissionEvent;
import dev.orchestrator.api.MissionResult;
import dev.orchestrator.core.journal.JournalCodec;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The journal, its group commit, its snapshots and its leases, on a real PostgreSQL. */
class PostgresJournalTest {

    private static final JournalCodec CODEC = new JournalCodec();

    private final DataSource db = TestDatabase.dataSource();
    private final String schema = TestDatabase.freshSchema("journal");
    private final List<MissionPool> pools = new ArrayList<>();

    private MissionPool pool(String owner) {
        // a long lease: these tests expire leases by hand, never by waiting
        MissionPool pool = MissionPool.builder(db).schema(schema).owner(owner).leaseDuration(Duration.ofMinutes(5))
                .snapshotEvery(4).build();
        pools.add(pool);
        return pool;
    }

    @AfterEach
    void close() {
        pools.forEach(MissionPool::close);
    }

    static MissionEvent note(int i) {
        return new MissionEvent.AgentNote("task-" + i, "worker", "note " + i, Instant.EPOCH);
    }

    private List<MissionEvent> replay(PostgresJournal journal) {
        List<MissionEvent> events = new ArrayList<>();
        journal.replay(events::add);
        return events;
    }

    private long count(String sql) {
        try (Connection c = db.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql.replace("{schema}", schema))) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private void expireLease(String missionId) {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement("UPDATE " + schema
                + ".missions SET lease_expires = clock_timestamp() - interval '1 second' WHERE mission_id = ?")) {
            s.setString(1, missionId);
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void appendedEventsReplayInOrderAndASecondOpeningGoesOnAfterThem() {
        MissionPool pool = pool("a");
        try (PostgresJournal journal = pool.open("m1")) {
            long bytes = 0;
            for (int i = 0; i < 10; i++) {
                assertEquals(i + 1, journal.append(note(i)).join());
                bytes += CODEC.encode(note(i)).length;
            }
            assertEquals(note(3), replay(journal).get(3));
            assertEquals(bytes, journal.appendedBytes(), "the events' JSON, for the journal metrics");
        }
        try (PostgresJournal again = pool.open("m1")) {
            assertEquals(2, again.token(), "a second opening is a takeover");
            assertEquals(10, replay(again).size());
            assertEquals(11, again.append(note(10)).join());
            assertEquals(CODEC.encode(note(10)).length, again.appendedBytes(), "since it was opened");
        }
    }

    @Test
    void appendsQueuedWhileATransactionWaitsGoInOneTransaction() throws Exception {
        MissionPool pool = pool("a");
        try (PostgresJournal journal = pool.open("m1")) {
            journal.append(note(0)).join();
            List<CompletableFuture<Long>> appends = new ArrayList<>();
            try (Connection blocker = db.getConnection()) {
                // a lock on the lease row holds the writer's next transaction at its token check
                blocker.setAutoCommit(false);
                try (PreparedStatement lock = blocker.prepareStatement("SELECT 1 FROM " + schema
                        + ".missions WHERE mission_id = 'm1' FOR UPDATE")) {
                    lock.executeQuery().close();
                }
                for (int i = 1; i <= 500; i++) {
                    appends.add(journal.append(note(i)));
                }
                assertFalse(appends.getFirst().isDone());
                blocker.commit();
            }
            for (int i = 0; i < appends.size(); i++) {
                assertEquals(i + 2, appends.get(i).join());
            }
        }
        // xmin is the inserting transaction: the first event's, the one held at the lock, the rest
        long transactions = count("SELECT count(DISTINCT xmin::text) FROM {schema}.events");
        assertTrue(transactions <= 3, transactions + " transactions for 501 appends");
        assertEquals(501, count("SELECT count(*) FROM {schema}.events"));
    }

    @Test
    void manyAppendersOnManyMissionsGetGaplessOrderedSequences() {
        MissionPool pool = pool("a");
        List<PostgresJournal> journals = new ArrayList<>();
        for (int m = 0; m < 8; m++) {
            journals.add(pool.open("m" + m));
        }
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 64; t++) {
            PostgresJournal journal = journals.get(t % 8);
            threads.add(Thread.ofVirtual().start(() -> {
                for (int i = 0; i < 20; i++) {
                    journal.append(note(i)).join();
                }
            }));
        }
        threads.forEach(t -> {
            try {
                t.join();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        journals.forEach(PostgresJournal::close);
        assertEquals(8, count("SELECT count(*) FROM (SELECT mission_id FROM {schema}.events GROUP BY mission_id "
                + "HAVING min(seq) = 1 AND max(seq) = 160 AND count(*) = 160) full_missions"));
        assertTrue(count("SELECT count(DISTINCT xmin::text) FROM {schema}.events") < 64 * 20,
                "appends from many threads share transactions");
    }

    @Test
    void aMissionHeldByALiveProcessIsRefusedWithItsOwner() {
        try (PostgresJournal held = pool("a").open("m1")) {
            LeaseHeldException refused = assertThrows(LeaseHeldException.class, () -> pool("b").open("m1"));
            assertTrue(refused.getMessage().contains("is running in 'a'"), refused.getMessage());
            assertEquals(1, held.append(note(0)).join());
        }
    }

    @Test
    void aLiveProcessRenewsItsLeaseSoItOutlivesItsDuration() throws InterruptedException {
        MissionPool a = MissionPool.builder(db).schema(schema).owner("a").leaseDuration(Duration.ofMillis(900))
                .build();
        pools.add(a);
        try (PostgresJournal held = a.open("m1")) {
            // three lease durations: without renewal the lease would have expired twice over
            Thread.sleep(2_700);
            assertThrows(LeaseHeldException.class, () -> pool("b").open("m1"));
            assertEquals(1, held.append(note(0)).join());
        }
        List<PostgresJournal> taken = pool("c").takeOver();
        assertEquals(List.of("m1"), taken.stream().map(PostgresJournal::missionId).toList(),
                "a journal closed before its mission finished gives its lease up at once");
        assertEquals(2, taken.getFirst().token());
    }

    @Test
    void aProcessWhoseMissionWasTakenOverCannotWriteAndNoneOfItsEventsLandsAfterTheTakeover() {
        PostgresJournal a = pool("a").open("m1");
        a.append(note(0)).join();
        expireLease("m1"); // as when a is paused past its lease
        PostgresJournal b = pool("b").open("m1");
        assertEquals(2, b.token());

        CompletionException failed = assertThrows(CompletionException.class, () -> a.append(note(1)).join());
        LeaseLostException lost = assertInstanceOf(LeaseLostException.class, failed.getCause());
        assertTrue(lost.getMessage().contains("was taken over by 'b' (lease token 2)"), lost.getMessage());
        assertThrows(CompletionException.class, () -> a.append(note(2)).join(), "a lost journal accepts no more");
        assertThrows(LeaseLostException.class, () -> a.snapshot(1, new byte[] {1}));

        assertEquals(2, b.append(note(1)).join());
        assertEquals(List.of(note(0), note(1)), replay(b));
        assertEquals(0, count("SELECT count(*) FROM {schema}.events WHERE token = 1 AND seq > 1"));
        a.close();
        b.close();
    }

    @Test
    void aSnapshotReplacesTheEventsItCoversAndIsDueAgainAfterTheInterval() {
        MissionPool pool = pool("a");
        try (PostgresJournal journal = pool.open("m1")) {
            for (int i = 0; i < 10; i++) {
                journal.append(note(i)).join();
            }
            assertTrue(journal.snapshotDue());
            journal.snapshot(6, new byte[] {6});
            assertFalse(journal.snapshotDue());
            assertEquals(List.of(note(6), note(7), note(8), note(9)), replay(journal));
            assertEquals(6, journal.latestSnapshot().orElseThrow().seq());
            assertEquals(4, count("SELECT count(*) FROM {schema}.events"));
        }
        try (PostgresJournal again = pool.open("m1")) {
            assertTrue(again.snapshotDue(), "the 4 events after the snapshot count towards the next one");
            assertEquals(11, again.append(note(10)).join());
            again.snapshot(11, new byte[] {11});
            assertEquals(List.of(), replay(again));
            assertEquals(12, again.append(note(11)).join());
        }
    }

    @Test
    void takeOverClaimsTheUnfinishedMissionsWhoseLeaseEndedAndLeavesTheFinishedOnes() {
        MissionPool a = pool("a");
        PostgresJournal crashed = a.open("crashed");
        crashed.append(note(0)).join();
        try (PostgresJournal done = a.open("done")) {
            done.append(new MissionEvent.MissionFinished(MissionResult.Outcome.COMPLETED, "done", Instant.EPOCH))
                    .join();
        }
        PostgresJournal running = a.open("running");
        expireLease("crashed");

        MissionPool b = pool("b");
        assertEquals(List.of("crashed"), b.expired(10).stream().map(MissionPool.ExpiredLease::missionId).toList());
        List<PostgresJournal> taken = b.takeOver();
        assertEquals(List.of("crashed"), taken.stream().map(PostgresJournal::missionId).toList());
        assertFalse(taken.getFirst().finished());
        assertEquals(List.of(note(0)), replay(taken.getFirst()));
        assertTrue(b.takeOver().isEmpty(), "nothing is left to take over");
        try (PostgresJournal reopened = b.open("done")) {
            assertTrue(reopened.finished());
        }
        running.close();
        crashed.close();
    }

    @Test
    void withSeveralWritersEveryMissionsEventsCommitInOrder() throws Exception {
        MissionPool pool = MissionPool.builder(db).schema(schema).owner("w").writers(4).build();
        pools.add(pool);
        List<PostgresJournal> journals = new ArrayList<>();
        for (int m = 0; m < 8; m++) {
            journals.add(pool.open("m" + m));
        }
        List<Thread> appenders = new ArrayList<>();
        for (PostgresJournal journal : journals) {
            for (int t = 0; t < 4; t++) {
                appenders.add(Thread.ofVirtual().start(() -> {
                    for (int i = 0; i < 25; i++) {
                        journal.append(note(i)).join();
                    }
                }));
            }
        }
        for (Thread appender : appenders) {
            appender.join();
        }

        JournalReader reader = new JournalReader(db, schema);
        for (PostgresJournal journal : journals) {
            List<Long> seqs = new ArrayList<>();
            reader.read(journal.missionId(), 0, (seq, event) -> seqs.add(seq)); // refuses a gap or a disorder
            assertEquals(100, seqs.size(), journal.missionId());
            assertEquals(100, seqs.getLast(), journal.missionId());
        }
    }

    @Test
    void theSchemaIsCreatedOnceByPoolsThatStartTogether() throws Exception {
        List<CompletableFuture<MissionPool>> starting = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String owner = "p" + i;
            starting.add(CompletableFuture.supplyAsync(() -> pool(owner)));
        }
        starting.forEach(CompletableFuture::join);
        assertEquals(1, count("SELECT count(*) FROM {schema}.schema_version"));
    }

    @Test
    void aBadSettingIsNamedWithTheOthers() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> MissionPool
                .builder(db).schema("Bad-Name").leaseDuration(Duration.ofMillis(10)).writers(0).build());
        assertTrue(refused.getMessage().contains("leaseDuration must be at least 300 ms"), refused.getMessage());
        assertTrue(refused.getMessage().contains("writers must be between 1 and 64, was 0"), refused.getMessage());
        assertTrue(refused.getMessage().contains("schema name must be a lower-case SQL identifier"),
                refused.getMessage());
    }
}
