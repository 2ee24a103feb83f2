package dev.orchestrator.cli;

import dev.orchestrator.api.MissionEvent;
import dev.orchestrator.core.journal.FileJournal;
import dev.orchestrator.core.journal.JournalCorruptedException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code orchestrator events DIR [--follow] [--json]}: the journal's events, as lines or JSON. */
@Command(name = "events", mixinStandardHelpOptions = true, versionProvider = OrchestratorCli.Version.class,
        description = "Prints a mission's events from its journal, one a line (or one JSON object a line for jq), "
                + "without changing the journal.")
final class EventsCommand extends JournalCommand {

    /** Without a change in the directory, the journal is read again this often anyway (a missed notification). */
    private static final Duration RECHECK = Duration.ofSeconds(1);
    /** Reads that may find the journal mid-change in a row before the damage is taken as real. */
    private static final int PATIENCE = 5;

    @Option(names = "--json", description = "One JSON object per line: seq, type and the event's fields.")
    boolean json;

    @Option(names = {"-f", "--follow"}, description = "Keep printing new events as a running mission appends "
            + "them, until it finishes (or Ctrl-C); waits for a mission starting in DIR to create its journal.")
    boolean follow;

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter out = out();
        Path journal = follow ? awaitJournal() : JournalFiles.locate(dir);
        boolean[] finished = {false};
        long[] last = {0};
        FileJournal.EventSink print = (seq, event) -> {
            out.println(json ? EventText.json(seq, event) : EventText.line(seq, event));
            last[0] = seq;
            finished[0] = event instanceof MissionEvent.MissionFinished;
        };
        FileJournal.read(journal, 0, print);
        out.flush();
        if (!follow) {
            return OrchestratorCli.COMPLETED;
        }
        // woken by the file system when the journal's files change, not by polling the journal in a loop
        try (WatchService watcher = FileSystems.getDefault().newWatchService()) {
            journal.register(watcher, StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_CREATE);
            int failures = 0;
            while (!finished[0]) {
                var key = watcher.poll(RECHECK.toMillis(), TimeUnit.MILLISECONDS);
                if (key != null) {
                    key.pollEvents();
                    key.reset();
                }
                try {
                    FileJournal.read(journal, last[0], print);
                    failures = 0;
                } catch (JournalCorruptedException e) {
                    // a segment rolled between listing and reading: read again, unless it stays that way
                    if (++failures == PATIENCE) {
                        throw e;
                    }
                }
                out.flush();
            }
        } catch (ClosedWatchServiceException e) {
            // closed on the way out
        }
        return OrchestratorCli.COMPLETED;
    }

    /** The journal {@link #dir} names, once a mission starting there has created it. */
    private Path awaitJournal() throws IOException, InterruptedException {
        if (!java.nio.file.Files.isDirectory(dir)) {
            return JournalFiles.locate(dir); // says there is nothing there
        }
        try (WatchService watcher = FileSystems.getDefault().newWatchService()) {
            dir.register(watcher, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY);
            while (true) {
                try {
                    return JournalFiles.locate(dir);
                } catch (IllegalArgumentException notYet) {
                    var key = watcher.poll(RECHECK.toMillis(), TimeUnit.MILLISECONDS);
                    if (key != null) {
                        key.pollEvents();
                        key.reset();
                    }
                }
            }
        }
    }
}
