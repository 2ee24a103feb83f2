package dev.orchestrator.journal.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.core.journal.JournalCorruptedException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** Reading the journals of a database without a lease: what tools see, and the damage they refuse. */
class JournalReaderTest {

    private final DataSource db = TestDatabase.dataSource();
    private final String schema = TestDatabase.freshSchema("reader");

    /** Mission {@code missionId} with {@code events} notes, its journal left open (its lease held). */
    private PostgresJournal written(MissionPool pool, String missionId, int events) {
        PostgresJournal journal = pool.open(missionId);
        List<CompletableFuture<Long>> appends = new ArrayList<>();
        for (int i = 1; i <= events; i++) {
            appends.add(journal.append(PostgresJournalTest.note(i)));
        }
        appends.forEach(CompletableFuture::join);
        return journal;
    }

    private void sql(String statement) {
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.execute(statement.replace("{schema}", schema));
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void readsEveryMissionWithoutTakingItsLease() {
        try (MissionPool pool = MissionPool.builder(db).schema(schema).owner("writer")
                .leaseDuration(Duration.ofMinutes(5)).build();
                MissionPool other = MissionPool.builder(db).schema(schema).owner("other").build()) {
            written(pool, "first", 3);
            written(pool, "second", 5);
            JournalReader reader = new JournalReader(db, schema);

            List<Long> seqs = new ArrayList<>();
            JournalReader.Mission second = reader.read("second", 2, (seq, event) -> seqs.add(seq));
            List<JournalReader.Mission> missions = reader.missions();

            assertEquals(List.of(3L, 4L, 5L), seqs, "the events after seq 2");
            assertEquals(5, second.lastSeq());
            assertEquals("writer", second.owner());
            assertEquals(1, second.token());
            assertFalse(second.finished());
            assertEquals(List.of("second", "first"), missions.stream().map(JournalReader.Mission::missionId)
                    .toList(), "the newest first");
            // the writer still holds its leases: reading took none
            assertThrows(LeaseHeldException.class, () -> other.open("second"));
        }
    }

    @Test
    void aMissingRowAndAnEventUnderAnOlderLeaseAreRefusedWithTheirSeq() {
        try (MissionPool pool = MissionPool.builder(db).schema(schema).owner("writer")
                .leaseDuration(Duration.ofMinutes(5)).build()) {
            written(pool, "gap", 5);
            written(pool, "fenced", 5);
        }
        sql("DELETE FROM {schema}.events WHERE mission_id = 'gap' AND seq = 3");
        // as if a process that lost its lease had written seq 5 after the takeover gave the mission token 2
        sql("UPDATE {schema}.missions SET token = 2 WHERE mission_id = 'fenced'");
        sql("UPDATE {schema}.events SET token = 2 WHERE mission_id = 'fenced' AND seq = 4");
        JournalReader reader = new JournalReader(db, schema);

        JournalCorruptedException gap = assertThrows(JournalCorruptedException.class,
                () -> reader.read("gap", 0, (seq, event) -> { }));
        JournalCorruptedException fenced = assertThrows(JournalCorruptedException.class,
                () -> reader.read("fenced", 0, (seq, event) -> { }));
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> reader.read("nope", 0, (seq, event) -> { }));
        IllegalArgumentException noSchema = assertThrows(IllegalArgumentException.class,
                () -> new JournalReader(db, "not_there").missions());

        assertEquals(3, gap.seq());
        assertTrue(gap.getMessage().contains("has seq 4 where seq 3 should follow"), gap.getMessage());
        assertEquals(5, fenced.seq());
        assertTrue(fenced.getMessage().contains("seq 5 written under lease token 1 after token 2"),
                fenced.getMessage());
        assertTrue(missing.getMessage().contains("no mission 'nope' in schema '" + schema + "': it holds "),
                missing.getMessage());
        assertTrue(noSchema.getMessage().contains("no mission journal in schema 'not_there'"), noSchema.getMessage());
    }
}
