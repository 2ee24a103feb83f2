package dev.orchestrator.cli;

import dev.orchestrator.core.journal.FileJournal;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A file journal, named by the user as the mission's workspace or the journal directory itself, read with {@link
 * FileJournal#read} (no lock, nothing cut or salvaged).
 *
 * @param dir the directory the user named
 */
record JournalDirectory(Path dir) implements JournalSource {

    /** Without a change in the directory, a follower reads the journal again this often anyway (a missed event). */
    private static final Duration RECHECK = Duration.ofSeconds(1);

    /**
     * The journal directory {@link #dir} names: {@code dir/.orchestrator} when it is a mission's workspace, else
     * {@code dir} itself when it holds a journal.
     *
     * @throws IllegalArgumentException if neither holds a journal
     */
    Path locate() {
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

    @Override
    public String name() {
        return locate().toString();
    }

    @Override
    public Contents read(long afterSeq, FileJournal.EventSink sink) {
        FileJournal.Contents read = FileJournal.read(locate(), afterSeq, sink);
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("directory", locate().toString());
        facts.put("segments", read.segments());
        return new Contents(read.snapshotSeq(), read.lastSeq(), "in " + read.segments() + " segment(s)", facts,
                read.tornTail());
    }

    @Override
    public String checks() {
        return "every checksum and sequence number checked";
    }

    @Override
    public String resumeHint() {
        return "orchestrator resume " + dir;
    }

    /** Woken by the file system when the directory or the journal in it changes, not by reading in a loop. */
    @Override
    public Changes changes() throws IOException {
        if (!Files.isDirectory(dir)) {
            locate(); // says there is nothing there
        }
        WatchService watcher = FileSystems.getDefault().newWatchService();
        dir.register(watcher, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY);
        return new Changes() {
            private boolean watchingJournal = dir.equals(journalOrNull());

            @Override
            public void await() throws InterruptedException {
                if (!watchingJournal && journalOrNull() != null) {
                    try {
                        journalOrNull().register(watcher, StandardWatchEventKinds.ENTRY_CREATE,
                                StandardWatchEventKinds.ENTRY_MODIFY);
                        watchingJournal = true;
                    } catch (IOException e) {
                        // read again at the next recheck
                    }
                }
                WatchKey key = watcher.poll(RECHECK.toMillis(), TimeUnit.MILLISECONDS);
                if (key != null) {
                    key.pollEvents();
                    key.reset();
                }
            }

            @Override
            public void close() throws IOException {
                watcher.close();
            }
        };
    }

    private Path journalOrNull() {
        try {
            return locate();
        } catch (IllegalArgumentException notYet) {
            return null;
        }
    }
}
