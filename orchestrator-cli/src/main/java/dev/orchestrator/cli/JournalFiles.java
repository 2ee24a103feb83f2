package dev.orchestrator.cli;

import dev.orchestrator.api.MissionEvent;
import dev.orchestrator.core.journal.FileJournal;
import dev.orchestrator.core.llm.ModelPrices;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A mission's journal as the commands read it: found from the directory the user names (the workspace or the
 * journal itself) and read without opening it, so nothing is repaired and a running mission is not disturbed.
 *
 * @param directory the journal directory
 * @param events its events, oldest first
 * @param contents what the read found: the snapshot, the last seq, a torn tail
 */
record JournalFiles(Path directory, List<Recorded> events, FileJournal.Contents contents) {

    /**
     * An event and its sequence number.
     *
     * @param seq the sequence number
     * @param event the event
     */
    record Recorded(long seq, MissionEvent event) {
    }

    JournalFiles {
        events = List.copyOf(events);
    }

    /**
     * The journal directory {@code dir} names: {@code dir/.orchestrator} when it is a mission's workspace, else
     * {@code dir} itself when it holds a journal.
     *
     * @throws IllegalArgumentException if neither holds a journal
     */
    static Path locate(Path dir) {
        Path inWorkspace = dir.resolve(MissionOptions.JOURNAL);
        if (isJournal(inWorkspace)) {
            return inWorkspace;
        }
        if (isJournal(dir)) {
            return dir;
        }
        throw new IllegalArgumentException("no mission journal in " + dir.toAbsolutePath() + ": give a mission's "
                + "workspace or its " + MissionOptions.JOURNAL + " directory");
    }

    private static boolean isJournal(Path dir) {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString())
                    .anyMatch(name -> name.equals("journal.manifest") || name.endsWith(".wal"));
        } catch (IOException e) {
            return false;
        }
    }

    /** Reads every event of the journal {@code dir} names. */
    static JournalFiles read(Path dir) {
        Path journal = locate(dir);
        List<Recorded> events = new ArrayList<>();
        FileJournal.Contents contents = FileJournal.read(journal, 0, (seq, event) -> events.add(new Recorded(seq,
                event)));
        return new JournalFiles(journal, events, contents);
    }

    /** The events folded into a view. */
    MissionView view(ModelPrices prices) {
        MissionView view = new MissionView(prices);
        events.forEach(r -> view.apply(r.event()));
        return view;
    }

    /** A line saying that the events before the snapshot are gone, or empty when all are there. */
    String snapshotNote() {
        return contents.snapshotSeq() == 0 ? "" : "the journal keeps the events after its snapshot at seq "
                + contents.snapshotSeq() + " only; the earlier ones are not shown";
    }
}
