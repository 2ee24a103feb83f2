package dev.orchestrator.core.internal.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.core.journal.SyncPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Records are written over zeros the writer wrote ahead of them, so that forcing a batch does not change a segment's
 * size; the zeros never outlive a clean close or a roll, and a crash leaves them to recovery, which cuts them.
 */
class PreallocationTest {

    private static final List<String> WRITTEN = Logs.payloads(1_000);

    @Test
    void forcedBatchesRarelyChangeTheSegmentsSize() {
        SimulatedDirectory dir = new SimulatedDirectory();
        List<Integer> sizes = new ArrayList<>();
        dir.afterFileForce((name, bytes) -> {
            if (name.equals(Logs.FIRST_SEGMENT)) {
                sizes.add(bytes.length);
            }
        });
        try (WriteAheadLog log = WriteAheadLog.open(dir, Logs.config())) {
            Logs.appendEach(log, WRITTEN); // a batch and a force each
        }
        List<Integer> batches = sizes.subList(0, sizes.size() - 1); // the last force is the close's
        assertTrue(batches.size() >= WRITTEN.size() / 2, "a force per batch: " + batches.size());
        TreeSet<Integer> distinct = new TreeSet<>(batches);
        assertTrue(distinct.size() <= 3, "the size changed at " + distinct.size() + " of " + batches.size()
                + " forces: " + distinct);
        assertTrue(distinct.first() > Logs.recordEnds(dir.bytes(Logs.FIRST_SEGMENT)).get(10),
                "zeros ahead of the records from the first batch on: " + distinct);
    }

    @Test
    void underEveryBatchABatchIsWrittenOnlyOverForcedZeros() {
        // ext4 allocates a written block only when it writes it back: a batch's sync over zeros not forced yet would
        // allocate their blocks and write the inode, a second synchronous write in every batch
        SimulatedDirectory dir = new SimulatedDirectory();
        List<String> overUnforced = new ArrayList<>();
        dir.beforeFileWrite((name, position, bytes, durableSize) -> {
            boolean zeros = IntStream.range(0, bytes.length).allMatch(i -> bytes[i] == 0);
            if (name.equals(Logs.FIRST_SEGMENT) && !zeros && position + bytes.length > durableSize) {
                overUnforced.add(bytes.length + " bytes at " + position + ", forced up to " + durableSize);
            }
        });
        try (WriteAheadLog log = WriteAheadLog.open(dir, Logs.config())) {
            Logs.appendEach(log, WRITTEN);
        }
        assertEquals(List.of(), overUnforced);
    }

    @Test
    void aClosedJournalsSegmentEndsWithItsLastRecord() {
        SimulatedDirectory dir = Logs.closedAfter(WRITTEN, Logs.config());

        byte[] segment = dir.bytes(Logs.FIRST_SEGMENT);
        assertEquals(Logs.recordEnds(segment).getLast(), segment.length);
        assertEquals(WRITTEN, Logs.recover(dir));
    }

    @Test
    void aRolledSegmentEndsWithItsLastRecord() {
        SimulatedDirectory dir = Logs.killedAfter(WRITTEN, Logs.config(16 << 10, SyncPolicy.everyBatch()));

        List<String> segments = Logs.segments(dir);
        assertTrue(segments.size() > 2, segments.toString());
        for (String full : segments.subList(0, segments.size() - 1)) {
            byte[] bytes = dir.bytes(full);
            assertEquals(Logs.recordEnds(bytes).getLast(), bytes.length, full);
        }
        assertEquals(WRITTEN, Logs.recover(dir));
    }

    @Test
    void aKilledJournalsZerosAreCutAndAppendingGoesOnAfterItsLastRecord() {
        SimulatedDirectory killed = Logs.killedAfter(WRITTEN);
        byte[] segment = killed.bytes(Logs.FIRST_SEGMENT);
        int recordsEnd = Logs.recordEnds(segment).getLast();
        assertTrue(segment.length > recordsEnd, "zeros after the records: " + segment.length + " > " + recordsEnd);

        try (WriteAheadLog log = WriteAheadLog.open(killed, Logs.config())) {
            assertEquals(WRITTEN, Logs.replay(log));
            assertEquals(WRITTEN.size() + 1, log.append(Logs.utf8("{\"after\":1}")).join());
        }
        List<String> expected = new ArrayList<>(WRITTEN);
        expected.add("{\"after\":1}");
        assertEquals(expected, Logs.recover(killed));
        assertTrue(killed.names().stream().noneMatch(n -> n.endsWith(".torn")), "zeros are not kept as torn bytes: "
                + killed.names());
    }
}
