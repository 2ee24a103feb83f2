package dev.orchestrator.core.internal.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.core.internal.journal.SimulatedDirectory.Crash;
import dev.orchestrator.core.journal.SyncPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Crashes the log at every file-system operation it makes (writes, forces, segment creations, snapshot renames and
 * deletions, and recovery's own repairs) and recovers each possible crash state: every acknowledged record must
 * survive, and the log must be a prefix of what was appended.
 */
class CrashStateTest {

    private static final int RECORDS = 60;
    private static final long SNAPSHOT_AT = 25;

    /** A crash state, with the records acknowledged before it. */
    private record CrashState(SimulatedDirectory dir, long acknowledged, String crash) {
    }

    @Test
    void everyAcknowledgedRecordSurvivesAndTheLogIsAPrefixOfWhatWasWritten() {
        crashEverywhere(Logs.config(1024, SyncPolicy.everyBatch()));
    }

    @Test
    void withACheckpointAfterEveryBatchEveryAcknowledgedRecordSurvives() {
        AtomicLong nanos = new AtomicLong();
        WalConfig base = Logs.config(1024, SyncPolicy.everyBatch());
        // A clock a second ahead at every look: the manifest follows every force, so crashes hit its writes too.
        crashEverywhere(new WalConfig(base.segmentSize(), base.maxRecordSize(), base.syncPolicy(),
                () -> nanos.addAndGet(1_000_000_000L), base.threadFactory(), java.time.Duration.ofSeconds(1)));
    }

    private static void crashEverywhere(WalConfig config) {
        List<String> written = Logs.payloads(RECORDS);
        for (int crashAt = 1; ; crashAt++) {
            List<CrashState> states = new ArrayList<>();
            boolean crashed = run(written, crashAt, states, config);
            for (CrashState state : states) {
                check(written, state, "crash at operation " + crashAt + ", " + state.crash());
            }
            if (!crashed) {
                assertTrue(crashAt > 20, "the run made only " + crashAt + " operations");
                return;
            }
        }
    }

    @Test
    void aCrashWhileRecoveryRepairsATornTailLeavesAStateThatRecoversTheSame() {
        List<String> written = Logs.payloads(8);
        SimulatedDirectory original = Logs.killedAfter(written);
        byte[] segment = original.bytes(Logs.FIRST_SEGMENT);
        int lastStart = Logs.recordEnds(segment).get(written.size() - 2);
        byte[] torn = segment.clone();
        java.util.Arrays.fill(torn, lastStart + 30, torn.length, (byte) 0x5A);
        for (int crashAt = 1; ; crashAt++) {
            SimulatedDirectory dir = Logs.with(original, Logs.FIRST_SEGMENT, torn);
            List<SimulatedDirectory> states = new ArrayList<>();
            AtomicInteger operations = new AtomicInteger();
            int at = crashAt;
            Random random = new Random(crashAt);
            dir.beforeEachOperation(() -> {
                if (operations.incrementAndGet() == at) {
                    states.add(dir.crash(new Crash.DropUnsynced()));
                    states.add(dir.crash(new Crash.KeepAll()));
                    states.add(dir.crash(new Crash.KeepPart(random)));
                }
            });
            try {
                Recovery.run(dir);
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
            for (SimulatedDirectory state : states) {
                assertEquals(written.subList(0, written.size() - 1), Logs.recover(state), "crash at " + crashAt);
            }
            if (operations.get() < crashAt) {
                assertTrue(crashAt > 5, "recovery made only " + crashAt + " operations");
                return;
            }
        }
    }

    /** Appends and snapshots; at operation {@code crashAt} records the crash states. False if it never got there. */
    private static boolean run(List<String> written, int crashAt, List<CrashState> states, WalConfig config) {
        SimulatedDirectory dir = new SimulatedDirectory();
        AtomicLong acknowledged = new AtomicLong();
        AtomicInteger operations = new AtomicInteger();
        dir.beforeEachOperation(() -> {
            if (operations.incrementAndGet() == crashAt) {
                long acked = acknowledged.get();
                Random random = new Random(crashAt);
                states.add(new CrashState(dir.crash(new Crash.DropUnsynced()), acked, "drop unsynced"));
                states.add(new CrashState(dir.crash(new Crash.KeepAll()), acked, "keep all"));
                for (int i = 0; i < 3; i++) {
                    states.add(new CrashState(dir.crash(new Crash.KeepPart(random)), acked, "keep part #" + i));
                }
            }
        });
        try (WriteAheadLog log = WriteAheadLog.open(dir, config)) {
            List<CompletableFuture<Long>> pending = new ArrayList<>();
            for (int i = 0; i < written.size(); i++) {
                pending.add(log.append(Logs.utf8(written.get(i)))
                        .whenComplete((seq, e) -> acknowledged.accumulateAndGet(seq, Math::max)));
                if (i % 7 == 6) {
                    pending.getLast().join(); // batches of several records, then one at a time for a while
                }
                if (i + 1 == SNAPSHOT_AT) {
                    log.snapshot(SNAPSHOT_AT, Logs.utf8("state@" + SNAPSHOT_AT));
                }
            }
            CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).join();
        }
        return operations.get() >= crashAt;
    }

    private static void check(List<String> written, CrashState state, String what) {
        List<String> recovered;
        long base;
        try (WriteAheadLog log = WriteAheadLog.open(state.dir(), Logs.config(1024, SyncPolicy.everyBatch()))) {
            base = log.latestSnapshot().map(Snapshots.Stored::seq).orElse(0L);
            recovered = Logs.replay(log);
            long next = log.append(Logs.utf8("{\"after\":true}")).join();
            assertEquals(base + recovered.size() + 1, next, what);
        }
        assertTrue(base == 0 || base == SNAPSHOT_AT, what + ": snapshot at " + base);
        assertEquals(written.subList((int) base, (int) base + recovered.size()), recovered,
                what + ": the log is what was written");
        assertTrue(base + recovered.size() >= state.acknowledged(), what + ": " + state.acknowledged()
                + " were acknowledged, " + (base + recovered.size()) + " survived");
        List<String> again = Logs.recover(state.dir());
        assertEquals(recovered.size() + 1, again.size(), what + ": the append after recovery survives");
        assertEquals(0, state.dir().openFiles(), what);
    }
}
