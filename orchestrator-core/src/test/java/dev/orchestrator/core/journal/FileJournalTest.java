package dev.orchestrator.core.journal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.MissionEvent;
import dev.orchestrator.core.internal.journal.Events;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileJournalTest {

    @TempDir
    Path dir;

    private static List<MissionEvent> replay(FileJournal journal) {
        List<MissionEvent> events = new ArrayList<>();
        journal.replay(events::add);
        return events;
    }

    @Test
    void eventsSurviveClosingAndReopeningAndSeqContinues() {
        List<MissionEvent> events = Events.everyKind();
        try (FileJournal journal = FileJournal.open(dir)) {
            List<CompletableFuture<Long>> seqs = events.stream().map(journal::append).toList();
            for (int i = 0; i < seqs.size(); i++) {
                assertEquals(i + 1, seqs.get(i).join());
            }
            assertEquals(events, replay(journal));
        }
        try (FileJournal journal = FileJournal.open(dir)) {
            assertEquals(events, replay(journal));
            assertEquals(events.size() + 1, journal.append(events.getFirst()).join());
        }
    }

    @Test
    void aSnapshotIsDueAfterTheEventsOrBytesAskedForAndAtOnceWhenAReopenedJournalHasALongTail() {
        MissionEvent event = Events.everyKind().getFirst();
        try (FileJournal journal = FileJournal.builder(dir).snapshotEvery(3, Long.MAX_VALUE).open()) {
            journal.append(event);
            journal.append(event);
            assertFalse(journal.snapshotDue());
            long third = journal.append(event).join();
            assertTrue(journal.snapshotDue());
            journal.snapshot(third, new byte[] {1});
            assertFalse(journal.snapshotDue(), "a snapshot starts the count again");
            journal.append(event);
            journal.append(event);
            journal.append(event).join();
        }
        try (FileJournal journal = FileJournal.builder(dir).snapshotEvery(3, Long.MAX_VALUE).open()) {
            assertTrue(journal.snapshotDue(), "three events followed the snapshot when the journal was opened");
        }
        try (FileJournal journal = FileJournal.builder(dir).snapshotEvery(1_000, 100).open()) {
            assertFalse(journal.snapshotDue());
            journal.append(event).join(); // more than 100 bytes of JSON
            assertTrue(journal.snapshotDue());
        }
    }

    @Test
    void segmentsOfManyMegabytesAreReadWhole() {
        List<MissionEvent> events = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            events.add(new MissionEvent.MemoryNoted(i + "x".repeat(200_000), Instant.EPOCH));
        }
        try (FileJournal journal = FileJournal.open(dir)) {
            events.forEach(journal::append);
            journal.append(events.getFirst()).join();
        }
        try (FileJournal journal = FileJournal.open(dir)) {
            List<MissionEvent> replayed = replay(journal);
            assertEquals(events, replayed.subList(0, events.size()));
            assertEquals(events.size() + 1, replayed.size());
        }
    }

    @Test
    void aLockFileThatIsASymbolicLinkIsRefusedAndItsTargetLeftAlone(@TempDir Path elsewhere) throws IOException {
        Path target = elsewhere.resolve("not-a-lock");
        Files.writeString(target, "precious");
        Files.createSymbolicLink(dir.resolve("journal.lock"), target);

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> FileJournal.open(dir));

        assertTrue(e.getMessage().contains("is a symbolic link"), e.getMessage());
        assertTrue(e.getMessage().contains("delete the link"), e.getMessage());
        assertEquals("precious", Files.readString(target));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(dir.resolve("journal.lock")), files.toList(), "nothing written");
        }
    }

    @Test
    void deletingTheNewestSegmentsIsRefusedNamingThem() throws IOException {
        try (FileJournal journal = FileJournal.builder(dir).segmentSize(4096).maxRecordSize(1024).open()) {
            for (int i = 0; i < 100; i++) {
                journal.append(new MissionEvent.MemoryNoted("note " + i, Instant.EPOCH)).join();
            }
        }
        List<Path> segments;
        try (Stream<Path> files = Files.list(dir)) {
            segments = files.filter(p -> p.toString().endsWith(".wal")).sorted().toList();
        }
        Files.delete(segments.getLast());
        Files.delete(segments.get(segments.size() - 2));

        JournalCorruptedException e = assertThrows(JournalCorruptedException.class, () -> FileJournal.open(dir));

        String newest = segments.getLast().getFileName().toString();
        assertEquals(newest, e.file());
        assertTrue(e.getMessage().contains("journal segment " + newest + " in " + dir + " is missing"),
                e.getMessage());
        assertTrue(e.getMessage().contains(segments.get(segments.size() - 3).getFileName().toString()),
                e.getMessage());
    }

    @Test
    void theDirectoryHoldsSegmentFilesNamedByTheirFirstSeq() throws IOException {
        try (FileJournal journal = FileJournal.builder(dir).segmentSize(4096).maxRecordSize(1024).open()) {
            for (int i = 0; i < 100; i++) {
                journal.append(new MissionEvent.MemoryNoted("note " + i, Instant.EPOCH)).join();
            }
        }
        try (Stream<Path> files = Files.list(dir)) {
            List<String> names = files.map(p -> p.getFileName().toString()).sorted().toList();
            assertEquals("00000000000000000001.wal", names.getFirst());
            assertEquals(List.of("journal.lock", "journal.manifest"), names.subList(names.size() - 2, names.size()));
            List<String> segments = names.subList(0, names.size() - 2);
            assertTrue(segments.size() > 2, names.toString());
            assertTrue(segments.stream().allMatch(n -> n.matches("\\d{20}\\.wal")), names.toString());
        }
    }

    @Test
    void aSnapshotShortensReplay() {
        try (FileJournal journal = FileJournal.builder(dir).syncPolicy(SyncPolicy.none()).open()) {
            for (int i = 1; i <= 10; i++) {
                journal.append(new MissionEvent.MemoryNoted("note " + i, Instant.EPOCH)).join();
            }
            journal.snapshot(7, new byte[] {7});
        }
        try (FileJournal journal = FileJournal.open(dir)) {
            FileJournal.Snapshot snapshot = journal.latestSnapshot().orElseThrow();
            assertEquals(7, snapshot.seq());
            assertArrayEquals(new byte[] {7}, snapshot.state());
            assertEquals(List.of("note 8", "note 9", "note 10"),
                    replay(journal).stream().map(e -> ((MissionEvent.MemoryNoted) e).note()).toList());
        }
    }

    @Test
    void theSnapshotReadAtOpenIsTheNewestUntilAnotherIsTakenAndReplayFollowsTheNewest() {
        try (FileJournal journal = FileJournal.builder(dir).syncPolicy(SyncPolicy.none()).open()) {
            for (int i = 1; i <= 10; i++) {
                journal.append(new MissionEvent.MemoryNoted("note " + i, Instant.EPOCH)).join();
            }
            journal.snapshot(4, new byte[] {4});
        }
        try (FileJournal journal = FileJournal.open(dir)) {
            // the one recovery read, then the file again: the same snapshot both times
            assertEquals(new FileJournal.Snapshot(4, new byte[] {4}), journal.latestSnapshot().orElseThrow());
            assertEquals(new FileJournal.Snapshot(4, new byte[] {4}), journal.latestSnapshot().orElseThrow());
        }
        try (FileJournal journal = FileJournal.open(dir)) {
            // a snapshot taken before anyone asked for the one read at open replaces it
            journal.snapshot(8, new byte[] {8});
            assertEquals(new FileJournal.Snapshot(8, new byte[] {8}), journal.latestSnapshot().orElseThrow());
            assertEquals(List.of("note 9", "note 10"),
                    replay(journal).stream().map(e -> ((MissionEvent.MemoryNoted) e).note()).toList());
        }
    }

    @Test
    void settingsThatDoNotFitTogetherAreRefusedWithWhatToChange() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FileJournal.builder(dir).segmentSize(1024).maxRecordSize(4096).open());
        assertTrue(e.getMessage().contains("raise segmentSize or lower maxRecordSize"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SyncPolicy.interval(java.time.Duration.ZERO));
    }

    @Test
    void anEventLargerThanTheMaximumFailsItsOwnAppendOnly() {
        try (FileJournal journal = FileJournal.builder(dir).maxRecordSize(100).open()) {
            CompletableFuture<Long> big = journal.append(new MissionEvent.MemoryNoted("x".repeat(200), Instant.EPOCH));
            assertTrue(big.isCompletedExceptionally());
            assertEquals(1, journal.append(new MissionEvent.MemoryNoted("small", Instant.EPOCH)).join());
        }
    }

    @Test
    void aDirectoryIsOpenInOneJournalAtATime() {
        try (FileJournal journal = FileJournal.open(dir)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> FileJournal.open(dir));
            assertTrue(e.getMessage().contains("wait for that run to end, or stop it"), e.getMessage());
            assertEquals(1, journal.append(new MissionEvent.MemoryNoted("still mine", Instant.EPOCH)).join());
        }
        try (FileJournal again = FileJournal.open(dir)) {
            assertEquals(1, replay(again).size());
        }
    }

    @Test
    void anAppenderInterruptedWhileItWritesItsOwnAppendLosesNothingAndKeepsItsInterrupt() throws Exception {
        // An appender that waits for its append may write it itself, and an interrupt closes a FileChannel that
        // the interrupted thread is writing or forcing: the journal must take that in its stride.
        int appends = 2_000;
        List<MissionEvent> written = new ArrayList<>();
        java.util.concurrent.atomic.AtomicInteger interruptsSeen = new java.util.concurrent.atomic.AtomicInteger();
        try (FileJournal journal = FileJournal.open(dir)) {
            Thread appender = Thread.ofPlatform().start(() -> {
                for (int i = 0; i < appends; i++) {
                    MissionEvent e = new MissionEvent.MemoryNoted("note " + i, Instant.EPOCH);
                    journal.append(e).join();
                    written.add(e);
                    if (Thread.interrupted()) {
                        interruptsSeen.incrementAndGet();
                    }
                }
            });
            while (appender.isAlive()) {
                appender.interrupt();
                Thread.onSpinWait();
            }
            appender.join();
            assertEquals(appends, written.size(), "every append completed");
            assertTrue(interruptsSeen.get() > 0, "the appender saw its interrupts");
        }
        try (FileJournal again = FileJournal.open(dir)) {
            assertEquals(written, replay(again));
        }
    }

    @Test
    void theJournalsThreadsEndOnClose() {
        List<Thread> made = new ArrayList<>();
        FileJournal journal = FileJournal.builder(dir)
                .threadFactory(r -> {
                    Thread t = new Thread(r, "test-writer");
                    made.add(t);
                    return t;
                })
                .open();
        journal.append(new MissionEvent.MemoryNoted("n", Instant.EPOCH)).join();
        journal.close();
        // the completion thread starts with the first batch completed off the writer: a joined lone append is not
        assertTrue(made.size() == 1 || made.size() == 2, "a writer and at most a completion thread: " + made);
        for (Thread t : made) {
            assertTrue(!t.isAlive(), t + " still runs");
        }
    }

    @Test
    void readingWithoutOpeningGivesTheEventsWhileAnotherJournalHoldsTheDirectoryAndChangesNothing() throws IOException {
        List<MissionEvent> events = Events.everyKind();
        try (FileJournal journal = FileJournal.open(dir)) {
            events.forEach(e -> journal.append(e).join());
            List<MissionEvent> read = new ArrayList<>();
            List<Long> seqs = new ArrayList<>();
            FileJournal.Contents contents = FileJournal.read(dir, 0, (seq, event) -> {
                seqs.add(seq);
                read.add(event);
            });
            assertEquals(events, read);
            assertEquals(1L, seqs.getFirst());
            assertEquals(events.size(), contents.lastSeq());
            assertTrue(contents.tornTail().isEmpty());

            List<MissionEvent> after = new ArrayList<>();
            FileJournal.read(dir, events.size() - 2, (seq, event) -> after.add(event));
            assertEquals(events.subList(events.size() - 2, events.size()), after, "only the events after the seq");

            // a crash tears the append after the last one: reported, left where it is
            Path segment = segments().getLast();
            Files.write(segment, new byte[] {7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7},
                    java.nio.file.StandardOpenOption.APPEND);
            byte[] torn = Files.readAllBytes(segment);
            FileJournal.Contents withTornTail = FileJournal.read(dir, 0, (seq, event) -> { });
            assertEquals(events.size(), withTornTail.lastSeq());
            assertTrue(withTornTail.tornTail().orElseThrow().contains(segment.getFileName() + " ends in a torn write"),
                    withTornTail.tornTail().orElseThrow());
            assertArrayEquals(torn, Files.readAllBytes(segment), "a read cuts nothing");
        }
    }

    @Test
    void readingADamagedJournalRefusesItLikeOpeningWouldAndRepairsNothing() throws IOException {
        try (FileJournal journal = FileJournal.open(dir)) {
            Events.everyKind().forEach(e -> journal.append(e).join());
        }
        Path segment = segments().getFirst();
        byte[] bytes = Files.readAllBytes(segment);
        bytes[bytes.length / 2] ^= 0x40;
        Files.write(segment, bytes);
        List<String> filesBefore = fileNames();

        JournalCorruptedException e = assertThrows(JournalCorruptedException.class,
                () -> FileJournal.read(dir, 0, (seq, event) -> { }));

        assertEquals(segment.getFileName().toString(), e.file());
        assertArrayEquals(bytes, Files.readAllBytes(segment));
        assertEquals(filesBefore, fileNames(), "no salvage, no copy, no lock file");
        assertThrows(IllegalArgumentException.class, () -> FileJournal.read(dir.resolve("missing"), 0,
                (seq, event) -> { }));
    }

    private List<Path> segments() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".wal")).sorted().toList();
        }
    }

    private List<String> fileNames() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
