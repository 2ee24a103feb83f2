package dev.orchestrator.core.journal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.MissionEvent;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A thread dump tells the journal's two threads apart: each is named for what it does. */
class JournalThreadsTest {

    @TempDir
    Path dir;

    @Test
    void theWriterAndTheCompletionThreadAreNamedForWhatTheyDo() {
        try (FileJournal journal = FileJournal.open(dir)) {
            Set<String> names = Set.of();
            // the completion thread starts once an append's future has a dependent when its batch is forced
            for (int i = 0; i < 100 && !names.contains("journal-completions"); i++) {
                journal.append(new MissionEvent.MemoryNoted("a note", Instant.EPOCH)).thenRun(() -> { }).join();
                names = Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                        .collect(Collectors.toSet());
            }

            assertTrue(names.contains("journal-writer") && names.contains("journal-completions"), names::toString);
        }
    }
}
