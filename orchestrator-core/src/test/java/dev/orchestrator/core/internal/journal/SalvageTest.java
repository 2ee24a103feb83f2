package dev.orchestrator.core.internal.journal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.core.journal.JournalCorruptedException;
import dev.orchestrator.core.journal.SyncPolicy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Asked for with {@code journal.salvage}, a refused journal keeps what comes before the damage; nothing is deleted. */
class SalvageTest {

    private static final List<String> WRITTEN = Logs.payloads(30);
    private static final WalConfig SMALL_SEGMENTS = Logs.config(1024, SyncPolicy.everyBatch());

    private static SimulatedDirectory closedWithSegments() {
        return Logs.closedAfter(WRITTEN, SMALL_SEGMENTS);
    }

    /** Recovers with the marker, checks it is gone and that a second open without it agrees, then appends. */
    private static List<String> salvage(SimulatedDirectory dir) {
        dir.put(Salvage.MARKER, new byte[0]);
        List<String> kept;
        try (WriteAheadLog log = WriteAheadLog.open(dir, SMALL_SEGMENTS)) {
            kept = Logs.replay(log);
            log.append(Logs.utf8("{\"after\":true}")).join();
        }
        assertFalse(dir.names().contains(Salvage.MARKER), "the marker is used up");
        List<String> again = new ArrayList<>(kept);
        again.add("{\"after\":true}");
        assertEquals(again, Logs.recover(dir));
        return kept;
    }

    @Test
    void theRefusalSaysHowToSalvage() {
        SimulatedDirectory dir = closedWithSegments();
        dir.delete(Logs.segments(dir).getLast());

        JournalCorruptedException e = assertThrows(JournalCorruptedException.class, () -> Logs.recover(dir));

        assertTrue(e.getMessage().contains("create an empty file journal.salvage in simulated-dir"), e.getMessage());
    }

    @Test
    void withoutItsNewestSegmentTheJournalKeepsTheSegmentsBefore() {
        SimulatedDirectory dir = closedWithSegments();
        List<String> segments = Logs.segments(dir);
        String newest = segments.getLast();
        dir.delete(newest);
        long firstLost = FileNames.seqOf(newest, FileNames.SEGMENT).getAsLong();

        assertEquals(WRITTEN.subList(0, (int) firstLost - 1), salvage(dir));
    }

    @Test
    void damageInAnEarlierSegmentKeepsTheRecordsBeforeItAndSetsTheRestAside() {
        SimulatedDirectory dir = closedWithSegments();
        List<String> segments = Logs.segments(dir);
        String damaged = segments.get(1);
        byte[] bytes = dir.bytes(damaged);
        int secondEnd = Logs.recordEnds(bytes).get(1);
        byte[] flipped = bytes.clone();
        flipped[secondEnd + RecordFrame.HEADER] ^= 1;
        dir.put(damaged, flipped);
        long first = FileNames.seqOf(damaged, FileNames.SEGMENT).getAsLong();

        assertEquals(WRITTEN.subList(0, (int) first + 1), salvage(dir));

        assertArrayEquals(Arrays.copyOfRange(flipped, secondEnd, flipped.length),
                dir.bytes(damaged + "." + secondEnd + Salvage.LOST));
        for (String later : segments.subList(2, segments.size())) {
            assertTrue(dir.names().contains(later + Salvage.LOST), later + " set aside: " + dir.names());
        }
    }

    @Test
    void aHeaderlessOnlySegmentIsSetAsideAndTheJournalStartsAnew() {
        SimulatedDirectory dir = new SimulatedDirectory();
        try (WriteAheadLog log = WriteAheadLog.open(dir, SMALL_SEGMENTS)) {
            Logs.appendEach(log, WRITTEN.subList(0, 3));
        }
        byte[] original = dir.bytes(Logs.FIRST_SEGMENT);
        dir.put(Logs.FIRST_SEGMENT, Arrays.copyOf(original, 20));

        assertEquals(List.of(), salvage(dir));

        assertArrayEquals(Arrays.copyOf(original, 20), dir.bytes(Logs.FIRST_SEGMENT + Salvage.LOST));
    }

    @Test
    void onAHealthyJournalTheMarkerChangesNothing() {
        SimulatedDirectory dir = closedWithSegments();
        var before = dir.contents();

        assertEquals(WRITTEN, salvage(dir));

        before.keySet().forEach(name -> assertTrue(dir.names().contains(name), name));
    }
}
