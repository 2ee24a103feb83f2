package dev.orchestrator.core.internal.journal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TornSectorTest {

    private static final List<String> WRITTEN = List.of("{\"a\":1}", "{\"b\":2}", "{\"big\":\"" + "y".repeat(9000) + "\"}");

    /** Killed after the appends: a torn last write is a state a power loss could leave. */
    private static final SimulatedDirectory KILLED = Logs.killedAfter(WRITTEN);

    private static byte[] writtenSegment() {
        return Logs.records(KILLED, Logs.FIRST_SEGMENT);
    }

    static Stream<Arguments> tornSectors() {
        byte[] segment = writtenSegment();
        List<Integer> ends = Logs.recordEnds(segment);
        int lastStart = ends.get(1);
        int lastEnd = ends.get(2);
        List<Arguments> cases = new ArrayList<>();
        for (int sector : new int[] {512, 4096}) {
            for (boolean garbage : new boolean[] {false, true}) {
                for (int at = lastStart / sector * sector; at < lastEnd; at += sector) {
                    cases.add(Arguments.of(sector, garbage, Math.max(at, lastStart), Math.min(at + sector, lastEnd)));
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} B sector, garbage={1}, bytes {2}..{3}")
    @MethodSource("tornSectors")
    void aTornSectorInTheLastRecordCutsOnlyThatRecord(int sector, boolean garbage, int from, int to) {
        byte[] segment = writtenSegment();
        byte[] torn = segment.clone();
        if (garbage) {
            byte[] noise = new byte[to - from];
            new Random(from).nextBytes(noise);
            System.arraycopy(noise, 0, torn, from, noise.length);
        } else {
            Arrays.fill(torn, from, to, (byte) 0);
        }
        SimulatedDirectory dir = Logs.with(KILLED, Logs.FIRST_SEGMENT, torn);

        try (WriteAheadLog log = WriteAheadLog.open(dir, Logs.config())) {
            assertEquals(WRITTEN.subList(0, 2), Logs.replay(log));
            assertEquals(3, log.append(Logs.utf8("{\"c\":3}")).join());
        }
        int lastStart = Logs.recordEnds(segment).get(1);
        String copy = FileNames.tornCopy(Logs.FIRST_SEGMENT, lastStart);
        assertTrue(dir.names().contains(copy), "a copy of the torn bytes is kept: " + dir.names());
        assertArrayEquals(Arrays.copyOfRange(torn, lastStart, torn.length), dir.bytes(copy));
        assertEquals(List.of(WRITTEN.get(0), WRITTEN.get(1), "{\"c\":3}"), Logs.recover(dir));
    }

    @Test
    void staleBytesAfterTheTailAreCutAndKept() {
        byte[] segment = writtenSegment();
        byte[] stale = new byte[4096];
        new Random(7).nextBytes(stale);
        SimulatedDirectory dir = Logs.with(KILLED, Logs.FIRST_SEGMENT, concat(segment, stale));

        assertEquals(WRITTEN, Logs.recover(dir));

        assertArrayEquals(segment, dir.bytes(Logs.FIRST_SEGMENT));
        assertArrayEquals(stale, dir.bytes(FileNames.tornCopy(Logs.FIRST_SEGMENT, segment.length)));
    }

    @Test
    void staleBytesAfterAZeroLengthAreCut() {
        byte[] segment = writtenSegment();
        byte[] stale = new byte[4096];
        new Random(8).nextBytes(stale);
        Arrays.fill(stale, 0, 8, (byte) 0);
        SimulatedDirectory dir = Logs.with(KILLED, Logs.FIRST_SEGMENT, concat(segment, stale));

        assertEquals(WRITTEN, Logs.recover(dir));
        assertArrayEquals(segment, dir.bytes(Logs.FIRST_SEGMENT));
    }

    @Test
    void aValidRecordOfAnotherSegmentAfterTheTailDoesNotCount() {
        byte[] segment = writtenSegment();
        long otherSalt = SegmentHeader.decode(ByteBuffer.wrap(segment).order(ByteOrder.LITTLE_ENDIAN))
                .orElseThrow().salt() + 1;
        ByteBuffer alien = ByteBuffer.allocate(RecordFrame.size(7)).order(ByteOrder.LITTLE_ENDIAN);
        RecordFrame.encode(alien, otherSalt, RecordFrame.TYPE_EVENT_JSON, RecordFrame.FLAG_AFTER_SYNC, 4,
                Logs.utf8("{\"d\":4}"));
        SimulatedDirectory dir = Logs.with(KILLED, Logs.FIRST_SEGMENT, concat(segment, alien.array()));

        assertEquals(WRITTEN, Logs.recover(dir));
        assertArrayEquals(segment, dir.bytes(Logs.FIRST_SEGMENT));
    }

    @Test
    void theWarningGivesTheOffsetAsTheSavedCopysNameDoes() {
        List<String> many = Logs.payloads(60);
        SimulatedDirectory killed = Logs.killedAfter(many);
        byte[] segment = Logs.records(killed, Logs.FIRST_SEGMENT);
        assertTrue(segment.length > 1_000, "an offset a grouping separator would show in");
        byte[] stale = new byte[100];
        new Random(9).nextBytes(stale);
        SimulatedDirectory dir = Logs.with(killed, Logs.FIRST_SEGMENT, concat(segment, stale));
        List<String> warnings = new ArrayList<>();
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger(Recovery.class.getName());
        java.util.logging.Handler handler = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord record) {
                warnings.add(new java.util.logging.SimpleFormatter().formatMessage(record));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        logger.setLevel(java.util.logging.Level.ALL);
        logger.addHandler(handler);
        try {
            assertEquals(many, Logs.recover(dir));
        } finally {
            logger.removeHandler(handler);
            logger.setLevel(null);
        }

        String copy = FileNames.tornCopy(Logs.FIRST_SEGMENT, segment.length);
        assertTrue(dir.names().contains(copy), dir.names().toString());
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.getFirst().contains("at offset " + segment.length + " (seq " + (many.size() + 1) + ")"),
                warnings.getFirst());
        assertTrue(warnings.getFirst().endsWith(copy), warnings.getFirst());
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }
}
