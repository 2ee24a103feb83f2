package dev.orchestrator.core.internal.journal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.core.journal.JournalCorruptedException;
import dev.orchestrator.core.journal.SyncPolicy;
import java.util.List;
import org.junit.jupiter.api.Test;

class SnapshotTest {

    private static final List<String> WRITTEN = Logs.payloads(40);

    private static SimulatedDirectory withSnapshotAt(long seq) {
        SimulatedDirectory dir = new SimulatedDirectory();
        try (WriteAheadLog log = WriteAheadLog.open(dir, Logs.config(1024, SyncPolicy.everyBatch()))) {
            Logs.appendEach(log, WRITTEN);
            log.snapshot(seq, Logs.utf8("state@" + seq));
        }
        return dir;
    }

    @Test
    void replayStartsAfterTheSnapshotAndWhollyOlderSegmentsAreDeleted() {
        SimulatedDirectory dir = withSnapshotAt(30);

        List<Long> segments = SegmentFiles.firstSeqs(dir.names());
        assertTrue(segments.getFirst() > 1 && segments.getFirst() <= 31, "oldest kept: " + segments);
        assertTrue(segments.size() > 1, segments.toString());
        try (WriteAheadLog log = WriteAheadLog.open(dir, Logs.config(1024, SyncPolicy.everyBatch()))) {
            assertEquals(WRITTEN.subList(30, 40), Logs.replay(log));
            Snapshots.Stored snapshot = log.latestSnapshot().orElseThrow();
            assertEquals(30, snapshot.seq());
            assertArrayEquals(Logs.utf8("state@30"), snapshot.state());
            assertEquals(41, log.append(Logs.utf8("{}")).join());
        }
    }

    @Test
    void aNewerSnapshotReplacesTheOlder() {
        SimulatedDirectory dir = withSnapshotAt(10);
        try (WriteAheadLog log = WriteAheadLog.open(dir, Logs.config(1024, SyncPolicy.everyBatch()))) {
            log.snapshot(35, Logs.utf8("state@35"));
            assertEquals(WRITTEN.subList(35, 40), Logs.replay(log));
        }
        assertEquals(List.of(FileNames.snapshot(35)),
                dir.names().stream().filter(n -> n.endsWith(FileNames.SNAPSHOT)).toList());
    }

    @Test
    void aSnapshotAfterTheLastAppendOrBeforeTheNewestIsRefused() {
        SimulatedDirectory dir = withSnapshotAt(20);
        try (WriteAheadLog log = WriteAheadLog.open(dir, Logs.config(1024, SyncPolicy.everyBatch()))) {
            assertThrows(IllegalArgumentException.class, () -> log.snapshot(41, new byte[0]));
            assertThrows(IllegalArgumentException.class, () -> log.snapshot(19, new byte[0]));
        }
    }

    @Test
    void aSnapshotUnderNoSyncForcesTheLogFirst() {
        SimulatedDirectory dir = new SimulatedDirectory();
        try (WriteAheadLog log = WriteAheadLog.open(dir, Logs.config(1 << 20, SyncPolicy.none()))) {
            Logs.appendEach(log, WRITTEN);
            log.snapshot(40, Logs.utf8("state@40"));
        }
        SimulatedDirectory afterPowerLoss = dir.crash(new SimulatedDirectory.Crash.DropUnsynced());
        try (WriteAheadLog log = WriteAheadLog.open(afterPowerLoss, Logs.config())) {
            assertEquals(40, log.latestSnapshot().orElseThrow().seq());
            assertEquals(41, log.append(Logs.utf8("{}")).join());
        }
    }

    @Test
    void aDamagedSnapshotIsRefused() {
        SimulatedDirectory dir = withSnapshotAt(30);
        byte[] snapshot = dir.bytes(FileNames.snapshot(30));
        snapshot[snapshot.length - 1] ^= 1;
        dir.put(FileNames.snapshot(30), snapshot);

        JournalCorruptedException e = assertThrows(JournalCorruptedException.class, () -> Logs.recover(dir));
        assertEquals(FileNames.snapshot(30), e.file());
    }

    /** 40 records in one segment, closed after 20 and reopened (the manifest then vouches for 20), snapshot at 30. */
    private static SimulatedDirectory oneSegmentWithSnapshotAt30() {
        SimulatedDirectory dir = Logs.closedAfter(WRITTEN.subList(0, 20), Logs.config());
        try (WriteAheadLog log = WriteAheadLog.open(dir, Logs.config())) {
            Logs.appendEach(log, WRITTEN.subList(20, 40));
            log.snapshot(30, Logs.utf8("state@30"));
        }
        return dir;
    }

    @Test
    void aSnapshotSaysWhereTheRecordsAfterItMayBeReadFromAndTheRecordsBeforeAreNotReadAgain() {
        SimulatedDirectory dir = oneSegmentWithSnapshotAt30();
        byte[] segment = dir.bytes(Logs.FIRST_SEGMENT);
        List<Integer> ends = Logs.recordEnds(segment);
        try (WriteAheadLog log = WriteAheadLog.open(dir, Logs.config())) {
            // where the manifest stood when the snapshot was taken: after record 20
            assertEquals(new Snapshots.Start(21, ends.get(19)), log.latestSnapshot().orElseThrow().start());
        }

        // damage to a record the snapshot stands for, before its start: neither recovery nor replay reads it
        segment[ends.get(4) - 9] ^= 1;
        SimulatedDirectory damaged = Logs.with(dir, Logs.FIRST_SEGMENT, segment);
        assertEquals(WRITTEN.subList(30, 40), Logs.recover(damaged));
        // the same damage after the start is refused
        byte[] after = dir.bytes(Logs.FIRST_SEGMENT);
        after[ends.get(24) - 9] ^= 1;
        assertThrows(JournalCorruptedException.class, () -> Logs.recover(Logs.with(dir, Logs.FIRST_SEGMENT, after)));
    }

    @Test
    void aStartThatNamesNoRecordThereIsIgnoredAndTheSegmentReadWhole() throws java.io.IOException {
        SimulatedDirectory dir = oneSegmentWithSnapshotAt30();
        List<Integer> ends = Logs.recordEnds(dir.bytes(Logs.FIRST_SEGMENT));
        for (Snapshots.Start wrong : List.of(new Snapshots.Start(21, ends.get(19) + 8),
                new Snapshots.Start(22, ends.get(19)), new Snapshots.Start(21, 1L << 40))) {
            SimulatedDirectory copy = Logs.with(dir, Logs.FIRST_SEGMENT, dir.bytes(Logs.FIRST_SEGMENT));
            copy.delete(FileNames.snapshot(30));
            Snapshots.write(copy, 30, Logs.utf8("state@30"), wrong);
            assertEquals(WRITTEN.subList(30, 40), Logs.recover(copy), wrong.toString());
        }
    }
}
