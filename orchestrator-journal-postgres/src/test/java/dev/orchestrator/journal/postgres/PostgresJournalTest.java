package dev.orchestrator.journal.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.orchestrator.api.MissionEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PostgresJournalTest {

    static MissionEvent note(int i) {
        return new MissionEvent.AgentNote("task-" + i, "worker", "note " + i, Instant.EPOCH);
    }

    @Test
    void appendedEventsReplayInOrder() {
        try (MissionPool pool = MissionPool.builder(TestDatabase.dataSource()).schema(TestDatabase.freshSchema("basic"))
                .build(); PostgresJournal journal = pool.open("m1")) {
            for (int i = 0; i < 10; i++) {
                assertEquals(i + 1, journal.append(note(i)).join());
            }
            List<MissionEvent> replayed = new ArrayList<>();
            journal.replay(replayed::add);
            assertEquals(10, replayed.size());
            assertEquals(note(3), replayed.get(3));
        }
    }
}
