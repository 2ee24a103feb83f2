package dev.orchestrator.journal.postgres;

import dev.orchestrator.api.Journal;
import dev.orchestrator.core.journal.FileJournal;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;

/** The resume contract on the PostgreSQL journal, each test in a schema of its own. */
class PostgresJournalResumeTest extends MissionResumeContract {

    private final Map<Integer, MissionPool> pools = new HashMap<>();
    private final String schema = TestDatabase.freshSchema("resume");

    private MissionPool pool(int snapshotEvery) {
        return pools.computeIfAbsent(snapshotEvery, every -> MissionPool.builder(TestDatabase.dataSource())
                .schema(schema).owner("resume-" + every).snapshotEvery(every).build());
    }

    @AfterEach
    void closePools() {
        pools.values().forEach(MissionPool::close);
    }

    @Override
    Journal open(String name) {
        return pool(10_000).open(name);
    }

    @Override
    Journal openSnapshottingEvery(String name, int events) {
        return pool(events).open(name);
    }

    @Override
    Optional<Long> newestSnapshot(Journal journal) {
        return ((PostgresJournal) journal).latestSnapshot().map(FileJournal.Snapshot::seq);
    }
}
