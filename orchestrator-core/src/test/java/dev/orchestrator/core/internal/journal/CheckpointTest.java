package dev.orchestrator.core.internal.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.core.journal.JournalCorruptedException;
import dev.orchestrator.core.journal.SyncPolicy;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * While the journal runs, the manifest follows what was forced within a checkpoint interval, so that after a crash
 * only the records of that last interval can be taken for a torn write.
 */
class CheckpointTest {

    private static final List<String> WRITTEN = Logs.payloads(8);

    private static WalConfig idleConfig(AtomicLong nanos, Duration interval) {
        WalConfig base = Logs.config();
        return new WalConfig(base.segmentSize(), base.maxRecordSize(), SyncPolicy.everyBatch(), nanos::get,
                base.threadFactory(), interval);
    }

    @Test
    void aBatchIsVouchedForByTheCheckpointAfterItAndCannotBeCutAfterAKill() {
        AtomicLong nanos = new AtomicLong();
        SimulatedDirectory dir = new SimulatedDirectory();
        SimulatedDirectory killed;
        // A clock a second ahead at every look: a checkpoint follows every batch.
        WalConfig base = Logs.config();
        WalConfig config = new WalConfig(base.segmentSize(), base.maxRecordSize(), SyncPolicy.everyBatch(),
                () -> nanos.addAndGet(1_000_000_000L), base.threadFactory(), Duration.ofSeconds(1));
        try (WriteAheadLog log = WriteAheadLog.open(dir, config)) {
            Logs.appendEach(log, WRITTEN.subList(0, 7));
            Logs.appendEach(log, WRITTEN.subList(7, 8)); // the writer checkpointed seq 7 before it took this one
            killed = dir.crash(new SimulatedDirectory.Crash.KeepAll());
        }
        assertTrue(durableSeq(killed) >= 7, "vouched for " + durableSeq(killed));
        byte[] segment = killed.bytes(Logs.FIRST_SEGMENT);
        List<Integer> ends = Logs.recordEnds(segment);

        JournalCorruptedException e = assertThrows(JournalCorruptedException.class,
                () -> Logs.recover(Logs.with(killed, Logs.FIRST_SEGMENT, Arrays.copyOf(segment, ends.get(5) + 3))));
        assertEquals(7, e.seq());
        assertTrue(e.getMessage().contains("were durable"), e.getMessage());
    }

    @Test
    void withoutACheckpointTheLastBatchOfAKilledJournalMayBeCutAsTorn() {
        SimulatedDirectory killed = Logs.killedAfter(WRITTEN); // checkpoints off: the manifest is the open's
        byte[] segment = killed.bytes(Logs.FIRST_SEGMENT);
        List<Integer> ends = Logs.recordEnds(segment);

        assertEquals(WRITTEN.subList(0, 7),
                Logs.recover(Logs.with(killed, Logs.FIRST_SEGMENT, Arrays.copyOf(segment, ends.get(6) + 3))));
    }

    @Test
    void anIdleJournalIsVouchedForOnceTheIntervalHasPassed() throws InterruptedException {
        AtomicLong nanos = new AtomicLong();
        SimulatedDirectory dir = new SimulatedDirectory();
        CountDownLatch checkpointed = new CountDownLatch(1);
        AtomicReference<SimulatedDirectory> killed = new AtomicReference<>();
        try (WriteAheadLog log = WriteAheadLog.open(dir, idleConfig(nanos, Duration.ofMillis(20)))) {
            Logs.appendEach(log, WRITTEN);
            assertEquals(0, durableSeq(dir), "no checkpoint while the clock stands still");
            dir.beforeEachOperation(() -> {
                if (killed.get() == null && durableSeq(dir) == WRITTEN.size()) {
                    killed.set(dir.crash(new SimulatedDirectory.Crash.KeepAll()));
                    checkpointed.countDown();
                }
            });
            nanos.addAndGet(Duration.ofMillis(20).toNanos());
            checkpointed.await(); // no other append comes: the writer's own timer must notice and checkpoint
        }
        byte[] segment = killed.get().bytes(Logs.FIRST_SEGMENT);
        segment[Logs.recordEnds(segment).getLast() - 9] ^= 1; // in the last record

        JournalCorruptedException e = assertThrows(JournalCorruptedException.class,
                () -> Logs.recover(Logs.with(killed.get(), Logs.FIRST_SEGMENT, segment)));
        assertEquals(WRITTEN.size(), e.seq());
        assertTrue(e.getMessage().contains("were durable"), e.getMessage());
    }

    /** What the manifest in {@code dir} says was durable. */
    private static long durableSeq(SimulatedDirectory dir) {
        return ByteBuffer.wrap(dir.bytes(Manifest.NAME)).order(ByteOrder.LITTLE_ENDIAN).getLong(24);
    }
}
