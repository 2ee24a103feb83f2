package dev.orchestrator.core.internal.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.orchestrator.core.journal.JournalCorruptedException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class EveryCutPointTest {

    @Test
    void cutAtAnyByteAfterTheHeaderRecoversTheLongestWholeRecordPrefixAndAppendingContinues() throws IOException {
        List<String> written = Logs.payloads(5);
        SimulatedDirectory original = Logs.killedAfter(written);
        byte[] segment = original.bytes(Logs.FIRST_SEGMENT);
        List<Integer> ends = Logs.recordEnds(segment);
        assertEquals(written.size(), ends.size());

        for (int cut = 0; cut <= segment.length; cut++) {
            SimulatedDirectory dir = Logs.with(original, Logs.FIRST_SEGMENT, Arrays.copyOf(segment, cut));
            if (cut < SegmentHeader.SIZE) {
                // A segment gets its name only with its header forced, so no crash cuts into one: damage.
                var e = assertThrows(JournalCorruptedException.class, () -> Recovery.run(dir), "cut at " + cut);
                assertEquals(Logs.FIRST_SEGMENT, e.file(), "cut at " + cut);
                continue;
            }
            int whole = 0;
            while (whole < ends.size() && ends.get(whole) <= cut) {
                whole++;
            }
            List<String> expected = written.subList(0, whole);

            Recovery.run(dir);
            var afterFirst = dir.contents();
            Recovery.run(dir);
            assertEquals(afterFirst, dir.contents(), "second recovery changed files, cut at " + cut);

            try (WriteAheadLog log = WriteAheadLog.open(dir, Logs.config())) {
                assertEquals(expected, Logs.replay(log), "cut at " + cut);
                assertEquals(whole + 1, log.append(Logs.utf8("after")).join(), "cut at " + cut);
            }
            List<String> withAppend = new ArrayList<>(expected);
            withAppend.add("after");
            assertEquals(withAppend, Logs.recover(dir), "after append, cut at " + cut);
            assertEquals(0, dir.openFiles());
        }
    }
}
