package dev.orchestrator.journal.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.MissionEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/** The database stops answering without closing anything, as behind a network partition. */
class NetworkPartitionTest {

    @Test
    void aPoolOnADatabaseThatTakesTheConnectionAndNeverAnswersFailsToStartAfterALease() throws Exception {
        try (StallingProxy proxy = StallingProxy.to(TestDatabase.postgres().getPort())) {
            proxy.stall();
            PGSimpleDataSource db = new PGSimpleDataSource();
            db.setUrl("jdbc:postgresql://127.0.0.1:" + proxy.port() + "/postgres?user=postgres");

            // on a thread of its own, so that a start that hangs fails the test instead of hanging the build
            CompletableFuture<MissionPool> started = CompletableFuture.supplyAsync(() -> MissionPool.builder(db)
                    .schema(TestDatabase.freshSchema("silent")).leaseDuration(Duration.ofSeconds(1)).build());

            ExecutionException e = assertThrows(ExecutionException.class, () -> started.get(1, TimeUnit.MINUTES));
            IllegalStateException refused = assertInstanceOf(IllegalStateException.class, e.getCause());
            assertTrue(refused.getMessage().startsWith("cannot reach the database to create or migrate the journal's "
                    + "schema"), refused.getMessage());
        }
    }

    @Test
    void anAppendTheDatabaseNeverAnswersFailsAfterALeaseAndTheMissionResumesFromWhatWasCommitted()
            throws Exception {
        // a lease of 1 s, so the wait for an answer ends after 1 s
        String schema = TestDatabase.freshSchema("partition");
        try (StallingProxy proxy = StallingProxy.to(TestDatabase.postgres().getPort())) {
            PGSimpleDataSource db = new PGSimpleDataSource();
            db.setUrl("jdbc:postgresql://127.0.0.1:" + proxy.port() + "/postgres?user=postgres");
            try (MissionPool pool = MissionPool.builder(db).schema(schema).owner("partitioned")
                    .leaseDuration(Duration.ofSeconds(1)).build()) {
                PostgresJournal journal = pool.open("m");
                assertEquals(1L, journal.append(PostgresJournalTest.note(1)).get(1, TimeUnit.MINUTES));

                proxy.stall();
                CompletableFuture<Long> unanswered = journal.append(PostgresJournalTest.note(2));

                // the bound on the wait keeps a hang from hanging the build; before, the append waited for ever
                ExecutionException e = assertThrows(ExecutionException.class,
                        () -> unanswered.get(1, TimeUnit.MINUTES));
                JournalUnavailableException unavailable = assertInstanceOf(JournalUnavailableException.class,
                        e.getCause());
                assertTrue(unavailable.getMessage().contains("could not commit the events of mission 'm' (the "
                        + "database did not answer within the pool's lease duration: is the network to it "
                        + "partitioned?"), unavailable.getMessage());
                // the partition ends with the connections lost: the statement the relay held never arrives (had it
                // arrived, its commit would stand, with the mission's token, unless another process took over)
                proxy.close();
            }
        }
        // what was committed is there, nothing else, and the mission goes on after it
        try (MissionPool later = MissionPool.builder(TestDatabase.dataSource()).schema(schema).owner("later")
                .leaseDuration(Duration.ofSeconds(1)).build();
                PostgresJournal resumed = later.open("m")) {
            List<MissionEvent> events = new ArrayList<>();
            resumed.replay(events::add);
            assertEquals(List.of(PostgresJournalTest.note(1)), events);
            assertEquals(2L, resumed.append(PostgresJournalTest.note(2)).get(1, TimeUnit.MINUTES));
        }
    }
}
