package dev.orchestrator.core.internal.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.core.journal.JournalCorruptedException;
import dev.orchestrator.core.journal.SyncPolicy;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;

class CorruptionTest {

    private static final List<String> WRITTEN = Logs.payloads(10);

    @Test
    void aBitFlipFollowedByValidRecordsIsRefusedWithFileOffsetAndSeq() {
        SimulatedDirectory dir = new SimulatedDirectory();
        try (WriteAheadLog log = WriteAheadLog.open(dir, Logs.config())) {
            Logs.appendEach(log, WRITTEN);
        }
        byte[] segment = dir.bytes(Logs.FIRST_SEGMENT);
        int fourth = Logs.recordEnds(segment).get(2);
        segment[fourth + RecordFrame.HEADER + 3] ^= 0x10;
        dir.put(Logs.FIRST_SEGMENT, segment);
        var before = dir.contents();

        JournalCorruptedException e = assertThrows(JournalCorruptedException.class, () -> Logs.recover(dir));

        assertEquals(Logs.FIRST_SEGMENT, e.file());
        assertEquals(fourth, e.offset());
        assertEquals(4, e.seq());
        assertTrue(e.getMessage().contains(Logs.FIRST_SEGMENT + " in simulated-dir is corrupt at offset " + fourth
                + " (seq 4)"), e.getMessage());
        assertTrue(e.getMessage().contains("not a torn write"), e.getMessage());
        assertEquals(before, dir.contents(), "a refused recovery changes nothing");
    }

    @Test
    void damageToTheLastRecordOfAnEarlierSegmentIsRefused() {
        SimulatedDirectory dir = new SimulatedDirectory();
        try (WriteAheadLog log = WriteAheadLog.open(dir, Logs.config(512, SyncPolicy.everyBatch()))) {
            Logs.appendEach(log, WRITTEN);
        }
        List<String> names = dir.names();
        assertTrue(names.size() > 2, "several segments: " + names);
        byte[] first = dir.bytes(names.get(0));
        first[first.length - 1] ^= 1;
        dir.put(names.get(0), first);

        JournalCorruptedException e = assertThrows(JournalCorruptedException.class, () -> Logs.recover(dir));

        assertEquals(names.get(0), e.file());
        assertTrue(e.getMessage().contains("a later segment exists"), e.getMessage());
    }

    @Test
    void aMissingSegmentIsRefused() {
        SimulatedDirectory dir = new SimulatedDirectory();
        try (WriteAheadLog log = WriteAheadLog.open(dir, Logs.config(512, SyncPolicy.everyBatch()))) {
            Logs.appendEach(log, WRITTEN);
        }
        List<String> names = dir.names();
        dir.delete(names.get(1));

        JournalCorruptedException e = assertThrows(JournalCorruptedException.class, () -> Logs.recover(dir));

        assertEquals(names.get(2), e.file());
        assertTrue(e.getMessage().contains("a segment is missing"), e.getMessage());
    }

    @Test
    void aValidRecordWithTheWrongSeqIsRefused() {
        SimulatedDirectory dir = new SimulatedDirectory();
        try (WriteAheadLog log = WriteAheadLog.open(dir, Logs.config())) {
            Logs.appendEach(log, WRITTEN.subList(0, 2));
        }
        byte[] segment = dir.bytes(Logs.FIRST_SEGMENT);
        long salt = SegmentHeader.decode(ByteBuffer.wrap(segment).order(ByteOrder.LITTLE_ENDIAN)).orElseThrow().salt();
        ByteBuffer skipping = ByteBuffer.allocate(RecordFrame.size(2)).order(ByteOrder.LITTLE_ENDIAN);
        RecordFrame.encode(skipping, salt, RecordFrame.TYPE_EVENT_JSON, 0, 4, Logs.utf8("{}"));
        dir.put(Logs.FIRST_SEGMENT, TornSectorTest.concat(segment, skipping.array()));

        JournalCorruptedException e = assertThrows(JournalCorruptedException.class, () -> Logs.recover(dir));

        assertEquals(3, e.seq());
        assertTrue(e.getMessage().contains("holds seq 4 where seq 3 belongs"), e.getMessage());
    }

    @Test
    void damageFollowedOnlyByRecordsWrittenBeforeAnyForceIsATornWrite() {
        // Under SyncPolicy.none() nothing after the first record was forced before the next was written, so a
        // power loss may have kept later sectors of that write and lost earlier ones: not proof of corruption.
        SimulatedDirectory killed = Logs.killedAfter(WRITTEN, Logs.config(1 << 20, SyncPolicy.none()));
        byte[] segment = killed.bytes(Logs.FIRST_SEGMENT);
        int third = Logs.recordEnds(segment).get(1);
        segment[third + RecordFrame.HEADER] ^= 1;
        SimulatedDirectory dir = Logs.with(killed, Logs.FIRST_SEGMENT, segment);

        assertEquals(WRITTEN.subList(0, 2), Logs.recover(dir));
    }

    @Test
    void aDamagedHeaderOfASegmentWithRecordsIsRefused() {
        SimulatedDirectory dir = new SimulatedDirectory();
        try (WriteAheadLog log = WriteAheadLog.open(dir, Logs.config())) {
            Logs.appendEach(log, WRITTEN);
        }
        byte[] segment = dir.bytes(Logs.FIRST_SEGMENT);
        segment[20] ^= 4;
        dir.put(Logs.FIRST_SEGMENT, segment);

        JournalCorruptedException e = assertThrows(JournalCorruptedException.class, () -> Logs.recover(dir));

        assertEquals(0, e.offset());
        assertTrue(e.getMessage().contains("damaged header"), e.getMessage());
    }
}
