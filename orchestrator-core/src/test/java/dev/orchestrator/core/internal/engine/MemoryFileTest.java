package dev.orchestrator.core.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Merging a mission's notes into the memory file: bounded, counted once per mission, and the same when repeated. */
class MemoryFileTest {

    @Test
    void anyRunOfMissionsKeepsTheFileWithinItsBoundAndEachSaveIsIdempotent() {
        // a mission's notes as numbers into a small vocabulary, so that missions often repeat each other's notes
        qt().withExamples(200).withFixedSeed(11)
                .forAll(lists().of(lists().of(integers().between(0, 60)).ofSizeBetween(0, 6)).ofSizeBetween(1, 30))
                .checkAssert(missions -> {
                    String file = "";
                    for (List<Integer> mission : missions) {
                        List<String> notes = mission.stream().map(MemoryFileTest::note).toList();
                        String atStart = MemoryFile.forPrompt(file);
                        String saved = MemoryFile.merged(file, atStart, notes, 1_000);
                        if (saved.length() > 1_000) {
                            throw new AssertionError(saved.length() + " characters:\n" + saved);
                        }
                        if (!MemoryFile.merged(saved, atStart, notes, 1_000).equals(saved)) {
                            throw new AssertionError("saving the same mission twice changed the file:\n" + saved);
                        }
                        file = saved;
                    }
                });
    }

    private static String note(int n) {
        return "Note " + n + ": " + "something a later mission should know about the project ".repeat(1 + n % 3);
    }

    @Test
    void notesThatDifferOnlyInCaseSpacingOrFinalPunctuationAreOne() {
        String file = MemoryFile.merged("", "", List.of("Run  `make check`."), 8_000);
        String next = MemoryFile.merged(file, MemoryFile.forPrompt(file), List.of("run `make check`"), 8_000);
        assertEquals("# Project memory\n\n- run `make check` (noted by 2 missions)\n", next);
    }

    @Test
    void linesAPersonWroteAreKeptAsNotes() {
        String written = "# Project memory\n\nThe CI needs Docker.\n* Use tabs in Makefiles\n";
        assertEquals(List.of(new MemoryFile.Entry("The CI needs Docker.", 1),
                new MemoryFile.Entry("Use tabs in Makefiles", 1)), MemoryFile.parse(written).entries());
    }

    @Test
    void theNotesOfTheMissionBeingSavedAreKeptOverOlderOnesCountedAsOften() {
        List<String> old = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            old.add("old note " + i + " with some words to take room");
        }
        String file = MemoryFile.merged("", "", old, 400);
        int kept = MemoryFile.parse(file).entries().size();
        assertEquals(0, MemoryFile.parse(file).dropped(), "a mission's own notes that do not fit were never kept");
        String next = MemoryFile.merged(file, MemoryFile.forPrompt(file), List.of("the newest note"), 400);
        MemoryFile.Parsed parsed = MemoryFile.parse(next);
        assertEquals("the newest note", parsed.entries().getFirst().text());
        assertEquals(kept + 1 - parsed.entries().size(), parsed.dropped());
    }
}
