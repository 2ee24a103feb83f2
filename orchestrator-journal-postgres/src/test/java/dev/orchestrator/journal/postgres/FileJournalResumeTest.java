package dev.orchestrator.journal.postgres;

import dev.orchestrator.api.Journal;
import dev.orchestrator.core.journal.FileJournal;
import java.util.Optional;

/** The resume contract on the file journal: the reference the PostgreSQL journal is held to. */
class FileJournalResumeTest extends MissionResumeContract {

    @Override
    Journal open(String name) {
        return FileJournal.open(root.resolve("journal-" + name));
    }

    @Override
    Journal openSnapshottingEvery(String name, int events) {
        return FileJournal.builder(root.resolve("journal-" + name)).snapshotEvery(events, Long.MAX_VALUE).open();
    }

    @Override
    Optional<Long> newestSnapshot(Journal journal) {
        return ((FileJournal) journal).latestSnapshot().map(FileJournal.Snapshot::seq);
    }
}
