package dev.orchestrator.cli;

import dev.orchestrator.api.MissionEvent;
import dev.orchestrator.core.llm.ModelPrices;
import java.util.ArrayList;
import java.util.List;

/**
 * A mission's journal as the commands read it, from a directory or a database (see {@link JournalSource}): its events
 * and what the read found, read without opening it, so nothing is repaired and a running mission is not disturbed.
 *
 * @param name the journal, in words: its directory, or the mission and its database
 * @param events its events, oldest first
 * @param contents what the read found: the snapshot, the last seq, where the events are, a torn tail
 */
record MissionJournal(String name, List<Recorded> events, JournalSource.Contents contents) {

    /**
     * An event and its sequence number.
     *
     * @param seq the sequence number
     * @param event the event
     */
    record Recorded(long seq, MissionEvent event) {
    }

    MissionJournal {
        events = List.copyOf(events);
    }

    /** Reads every event of the journal {@code source} names. */
    static MissionJournal read(JournalSource source) {
        List<Recorded> events = new ArrayList<>();
        JournalSource.Contents contents = source.read(0, (seq, event) -> events.add(new Recorded(seq, event)));
        return new MissionJournal(source.name(), events, contents);
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
