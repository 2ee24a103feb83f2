package dev.orchestrator.core.internal.journal;

import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import dev.orchestrator.core.journal.JournalCorruptedException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Any single bit flip in a record is detected: the damaged record is never replayed, whatever bit it is. */
class BitFlipTest {

    private static final List<String> WRITTEN = Logs.payloads(6);

    @Test
    void anySingleBitFlipInARecordIsDetectedAfterAKill() {
        SimulatedDirectory original = Logs.killedAfter(WRITTEN);
        byte[] segment = original.bytes(Logs.FIRST_SEGMENT);
        List<Integer> ends = Logs.recordEnds(segment);
        int recordsStart = SegmentHeader.SIZE;

        qt().withExamples(300).withFixedSeed(42)
                .forAll(integers().between(recordsStart * 8, ends.getLast() * 8 - 1))
                .checkAssert(bit -> {
                    int damaged = recordHolding(ends, bit / 8);
                    SimulatedDirectory dir = Logs.with(original, Logs.FIRST_SEGMENT, flipped(segment, bit));
                    try {
                        List<String> recovered = Logs.recover(dir);
                        // Only the last record may be cut as a torn write: each earlier one is followed by a record
                        // written after it was forced, which proves it was durable; nothing proves the last was.
                        if (damaged != WRITTEN.size() - 1 || !recovered.equals(WRITTEN.subList(0, damaged))) {
                            throw new AssertionError("bit " + bit + " in record " + (damaged + 1)
                                    + ": recovered " + recovered.size() + " records");
                        }
                    } catch (JournalCorruptedException e) {
                        if (damaged == WRITTEN.size() - 1 || e.seq() != damaged + 1) {
                            throw new AssertionError("bit " + bit + " in record " + (damaged + 1) + ": " + e);
                        }
                    }
                });
    }

    @Test
    void anySingleBitFlipInAClosedJournalIsRefusedEvenInTheLastRecord() {
        SimulatedDirectory original = new SimulatedDirectory();
        try (WriteAheadLog log = WriteAheadLog.open(original, Logs.config())) {
            Logs.appendEach(log, WRITTEN);
        }
        byte[] segment = original.bytes(Logs.FIRST_SEGMENT);
        List<Integer> ends = Logs.recordEnds(segment);

        qt().withExamples(300).withFixedSeed(43)
                .forAll(integers().between(SegmentHeader.SIZE * 8, segment.length * 8 - 1))
                .checkAssert(bit -> {
                    int damaged = recordHolding(ends, bit / 8);
                    SimulatedDirectory dir = Logs.with(original, Logs.FIRST_SEGMENT, flipped(segment, bit));
                    try {
                        throw new AssertionError("bit " + bit + " in record " + (damaged + 1) + ": recovered "
                                + Logs.recover(dir).size() + " records");
                    } catch (JournalCorruptedException e) {
                        if (e.seq() != damaged + 1 || !e.file().equals(Logs.FIRST_SEGMENT)) {
                            throw new AssertionError("bit " + bit + " in record " + (damaged + 1) + ": " + e);
                        }
                    }
                });
    }

    @Test
    void everySingleBitFlipInAFrameFailsItsCheck() {
        java.nio.ByteBuffer frame = java.nio.ByteBuffer.allocate(RecordFrame.size(13))
                .order(java.nio.ByteOrder.LITTLE_ENDIAN);
        RecordFrame.encode(frame, 0x1234_5678_9ABC_DEF0L, RecordFrame.TYPE_EVENT_JSON, RecordFrame.FLAG_AFTER_SYNC, 7,
                Logs.utf8("{\"x\":\"hello\"}"));
        for (int bit = 0; bit < frame.capacity() * 8; bit++) {
            java.nio.ByteBuffer flipped = java.nio.ByteBuffer.wrap(frame.array().clone())
                    .order(java.nio.ByteOrder.LITTLE_ENDIAN);
            flipped.put(bit / 8, (byte) (flipped.get(bit / 8) ^ (1 << (bit % 8))));
            RecordFrame.Frame read = RecordFrame.read(flipped, 0, 0x1234_5678_9ABC_DEF0L, 1024);
            if (read instanceof RecordFrame.Frame.Valid) {
                throw new AssertionError("bit " + bit + " flipped and the frame still reads as valid");
            }
        }
    }

    /** {@code segment} with bit {@code bit} (counted from the file's first byte) flipped. */
    private static byte[] flipped(byte[] segment, int bit) {
        byte[] flipped = segment.clone();
        flipped[bit / 8] ^= (byte) (1 << (bit % 8));
        return flipped;
    }

    /** The index of the record whose bytes hold {@code offset}, given where each record ends. */
    private static int recordHolding(List<Integer> ends, int offset) {
        int record = 0;
        while (ends.get(record) <= offset) {
            record++;
        }
        return record;
    }
}
