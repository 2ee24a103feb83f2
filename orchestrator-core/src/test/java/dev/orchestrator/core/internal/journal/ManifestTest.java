package dev.orchestrator.core.internal.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.core.journal.JournalCorruptedException;
import dev.orchestrator.core.journal.SyncPolicy;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the manifest lets recovery refuse: damage that a crash cannot leave, which used to be cut away as if it
 * were a torn write or an interrupted creation.
 */
class ManifestTest {

    private static final List<String> WRITTEN = Logs.payloads(30);
    private static final WalConfig SMALL_SEGMENTS = Logs.config(1024, SyncPolicy.everyBatch());

    private static SimulatedDirectory closedWithSegments() {
        return Logs.closedAfter(WRITTEN, SMALL_SEGMENTS);
    }

    @Test
    void deletingTheNewestSegmentIsRefusedWithItsName() {
        SimulatedDirectory dir = closedWithSegments();
        List<String> segments = Logs.segments(dir);
        assertTrue(segments.size() > 3, segments.toString());
        dir.delete(segments.getLast());

        JournalCorruptedException e = assertThrows(JournalCorruptedException.class, () -> Logs.recover(dir));

        assertEquals(segments.getLast(), e.file());
        assertTrue(e.getMessage().contains(segments.getLast() + " in simulated-dir is missing"), e.getMessage());
        assertTrue(e.getMessage().contains("end with " + segments.get(segments.size() - 2)), e.getMessage());
    }

    @Test
    void deletingTheTwoNewestSegmentsOfAKilledJournalIsRefused() {
        SimulatedDirectory dir = Logs.killedAfter(WRITTEN, SMALL_SEGMENTS);
        List<String> segments = Logs.segments(dir);
        dir.delete(segments.getLast());
        dir.delete(segments.get(segments.size() - 2));

        JournalCorruptedException e = assertThrows(JournalCorruptedException.class, () -> Logs.recover(dir));

        assertEquals(segments.getLast(), e.file());
        assertTrue(e.getMessage().contains("acknowledged events would be lost"), e.getMessage());
    }

    @Test
    void aShortHeaderlessOnlySegmentIsRefusedNotDeleted() {
        for (SimulatedDirectory written : List.of(Logs.killedAfter(WRITTEN), closedOneSegment())) {
            for (int size : new int[] {0, 20, SegmentHeader.SIZE}) {
                byte[] damaged = Arrays.copyOf(written.bytes(Logs.FIRST_SEGMENT), size);
                if (size == SegmentHeader.SIZE) {
                    damaged[size - 1] ^= 1; // whole, but not valid
                }
                SimulatedDirectory dir = Logs.with(written, Logs.FIRST_SEGMENT, damaged);
                var before = dir.contents();

                JournalCorruptedException e = assertThrows(JournalCorruptedException.class, () -> Logs.recover(dir));

                assertEquals(Logs.FIRST_SEGMENT, e.file());
                assertTrue(e.getMessage().contains("damaged header"), e.getMessage());
                assertEquals(before, dir.contents(), "nothing deleted, no new mission");
            }
        }
    }

    private static SimulatedDirectory closedOneSegment() {
        SimulatedDirectory dir = new SimulatedDirectory();
        try (WriteAheadLog log = WriteAheadLog.open(dir, Logs.config())) {
            Logs.appendEach(log, WRITTEN);
        }
        return dir;
    }

    @Test
    void aBitFlipInTheLastRecordOfAClosedJournalIsRefused() {
        SimulatedDirectory written = closedOneSegment();
        byte[] segment = written.bytes(Logs.FIRST_SEGMENT);
        int lastStart = Logs.recordEnds(segment).get(WRITTEN.size() - 2);
        segment[segment.length - 9] ^= 0x20;
        SimulatedDirectory dir = Logs.with(written, Logs.FIRST_SEGMENT, segment);

        JournalCorruptedException e = assertThrows(JournalCorruptedException.class, () -> Logs.recover(dir));

        assertEquals(lastStart, e.offset());
        assertEquals(WRITTEN.size(), e.seq());
        assertTrue(e.getMessage().contains("the journal was closed"), e.getMessage());
    }

    @Test
    void aBitFlipAtTheStartOfAFinalBatchOfThreeIsRefused() {
        SimulatedDirectory written = new SimulatedDirectory();
        try (WriteAheadLog log = WriteAheadLog.open(written, Logs.config())) {
            Logs.appendEach(log, WRITTEN.subList(0, 5));
            Logs.appendAll(log, WRITTEN.subList(5, 8));
        }
        byte[] segment = written.bytes(Logs.FIRST_SEGMENT);
        int batchStart = Logs.recordEnds(segment).get(4);
        segment[batchStart + RecordFrame.HEADER] ^= 1;
        SimulatedDirectory dir = Logs.with(written, Logs.FIRST_SEGMENT, segment);

        JournalCorruptedException e = assertThrows(JournalCorruptedException.class, () -> Logs.recover(dir));

        assertEquals(6, e.seq());
        assertEquals(batchStart, e.offset());
    }

    @Test
    void acknowledgedRecordsCutOffAClosedJournalAtARecordBoundaryAreRefused() {
        SimulatedDirectory written = closedOneSegment();
        byte[] segment = written.bytes(Logs.FIRST_SEGMENT);
        int cut = Logs.recordEnds(segment).get(WRITTEN.size() - 3);
        SimulatedDirectory dir = Logs.with(written, Logs.FIRST_SEGMENT, Arrays.copyOf(segment, cut));

        JournalCorruptedException e = assertThrows(JournalCorruptedException.class, () -> Logs.recover(dir));

        assertEquals(Logs.FIRST_SEGMENT, e.file());
        assertEquals(WRITTEN.size() - 1, e.seq());
    }

    @Test
    void damageBeforeWhereTheJournalWasOpenedIsNotATornWrite() {
        // Opened again after a clean close: the manifest now says the first 10 were durable, and 5 more follow.
        SimulatedDirectory dir = new SimulatedDirectory();
        try (WriteAheadLog log = WriteAheadLog.open(dir, Logs.config())) {
            Logs.appendEach(log, WRITTEN.subList(0, 10));
        }
        SimulatedDirectory killed;
        try (WriteAheadLog log = WriteAheadLog.open(dir, Logs.config())) {
            Logs.appendEach(log, WRITTEN.subList(10, 15));
            killed = dir.crash(new SimulatedDirectory.Crash.KeepAll());
        }
        byte[] segment = killed.bytes(Logs.FIRST_SEGMENT);
        List<Integer> ends = Logs.recordEnds(segment);
        byte[] tenthCut = Arrays.copyOf(segment, ends.get(8) + 10);

        JournalCorruptedException e = assertThrows(JournalCorruptedException.class,
                () -> Logs.recover(Logs.with(killed, Logs.FIRST_SEGMENT, tenthCut)));
        assertEquals(10, e.seq());
        assertTrue(e.getMessage().contains("were durable"), e.getMessage());

        byte[] twelfthCut = Arrays.copyOf(segment, ends.get(10) + 10);
        assertEquals(WRITTEN.subList(0, 11), Logs.recover(Logs.with(killed, Logs.FIRST_SEGMENT, twelfthCut)),
                "after what the manifest vouches for, a cut is a torn write");
    }

    @Test
    void aMissingManifestIsRefused() {
        SimulatedDirectory dir = closedWithSegments();
        dir.delete(Manifest.NAME);

        JournalCorruptedException e = assertThrows(JournalCorruptedException.class, () -> Logs.recover(dir));

        assertEquals(Manifest.NAME, e.file());
    }

    @Test
    void aJournalOfFormatVersionOneIsRefusedNamingTheVersion() {
        SimulatedDirectory written = closedOneSegment();
        byte[] segment = written.bytes(Logs.FIRST_SEGMENT);
        ByteBuffer.wrap(segment).order(ByteOrder.LITTLE_ENDIAN).putInt(8, 1); // as 0.1.0-SNAPSHOT wrote it
        SimulatedDirectory dir = Logs.with(written, Logs.FIRST_SEGMENT, segment);
        dir.delete(Manifest.NAME); // version 1 had none

        JournalCorruptedException e = assertThrows(JournalCorruptedException.class, () -> Logs.recover(dir));

        assertTrue(e.getMessage().contains("format version 1"), e.getMessage());
        assertTrue(e.getMessage().contains("reads format 2 only"), e.getMessage());
    }

    @Test
    void aRollInterruptedBeforeTheManifestNamedTheNewSegmentRecovers() {
        SimulatedDirectory dir = new SimulatedDirectory();
        List<SimulatedDirectory> states = new java.util.ArrayList<>();
        dir.beforeEachOperation(() -> {
            // At the manifest's rename in a roll: the new segment exists, the manifest still names the old one.
            if (states.isEmpty() && dir.names().contains(Manifest.NAME + FileNames.TEMPORARY)
                    && Logs.segments(dir).size() == 2) {
                states.add(dir.crash(new SimulatedDirectory.Crash.KeepAll()));
            }
        });
        try (WriteAheadLog log = WriteAheadLog.open(dir, SMALL_SEGMENTS)) {
            Logs.appendEach(log, WRITTEN);
        }
        SimulatedDirectory state = states.getFirst();
        assertEquals(2, Logs.segments(state).size());

        List<String> recovered = Logs.recover(state);

        assertEquals(WRITTEN.subList(0, recovered.size()), recovered);
        assertTrue(recovered.size() > 0);
    }
}
