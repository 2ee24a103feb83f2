package dev.orchestrator.cli;

import dev.orchestrator.api.MissionEvent;
import dev.orchestrator.core.journal.FileJournal;
import dev.orchestrator.core.journal.JournalCorruptedException;
import java.io.IOException;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code orchestrator events JOURNAL [--follow] [--json]}: the journal's events, as lines or JSON. */
@Command(name = "events", mixinStandardHelpOptions = true, versionProvider = OrchestratorCli.Version.class,
        description = "Prints a mission's events from its journal, one a line (or one JSON object a line for jq), "
                + "without changing the journal.")
final class EventsCommand extends JournalCommand {

    /** Reads that may find the journal mid-change in a row before the damage is taken as real. */
    private static final int PATIENCE = 5;

    @Option(names = "--json", description = "One JSON object per line: seq, type and the event's fields.")
    boolean json;

    @Option(names = {"-f", "--follow"}, description = "Keep printing new events as a running mission appends "
            + "them, until it finishes (or Ctrl-C); waits for a mission starting there to create its journal.")
    boolean follow;

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter out = out();
        JournalSource source = source();
        boolean[] finished = {false};
        long[] last = {0};
        FileJournal.EventSink print = (seq, event) -> {
            out.println(json ? EventText.json(seq, event) : EventText.line(seq, event));
            last[0] = seq;
            finished[0] = event instanceof MissionEvent.MissionFinished;
        };
        if (!follow) {
            source.read(0, print);
            out.flush();
            return OrchestratorCli.COMPLETED;
        }
        try (JournalSource.Changes changes = source.changes()) {
            boolean found = false;
            int failures = 0;
            while (true) {
                try {
                    source.read(last[0], print);
                    found = true;
                    failures = 0;
                } catch (JournalSource.Choose several) {
                    throw several;
                } catch (IllegalArgumentException notYet) {
                    if (found) {
                        throw notYet;
                    }
                    // the mission has not created its journal yet: wait for it
                } catch (JournalCorruptedException e) {
                    // a segment rolled between listing and reading: read again, unless it stays that way
                    if (++failures == PATIENCE) {
                        throw e;
                    }
                }
                out.flush();
                if (finished[0]) {
                    return OrchestratorCli.COMPLETED;
                }
                changes.await();
            }
        }
    }
}
