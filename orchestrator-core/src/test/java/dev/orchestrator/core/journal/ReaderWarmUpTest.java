package dev.orchestrator.core.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.MissionEvent;
import dev.orchestrator.core.internal.journal.EventReader;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Opening a journal readies its event reader on a thread of its own, which is gone once the journal is closed. */
class ReaderWarmUpTest {

    @TempDir
    Path dir;

    @Test
    void theWarmUpReadsItsSampleEvent() {
        EventReader.warmUp(); // throws if the sample is not an event the reader reads
    }

    @Test
    void theWarmUpThreadHasEndedWhenTheJournalIsClosedAndReplayReadsAsBefore() {
        MissionEvent event = new MissionEvent.MemoryNoted("a note", Instant.EPOCH);
        try (FileJournal journal = FileJournal.open(dir)) {
            journal.append(event).join();
        }
        List<MissionEvent> read = new ArrayList<>();
        try (FileJournal journal = FileJournal.open(dir)) {
            journal.replay(read::add);
        }
        assertEquals(List.of(event), read);
        assertTrue(Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.getName().equals("journal-reader-warm-up")), "no warm-up thread outlives close");
    }
}
