package dev.orchestrator.core.internal.journal;

import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import dev.orchestrator.core.journal.JournalCorruptedException;
import dev.orchestrator.core.journal.SyncPolicy;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Damage of any kind to any file of a journal of several segments (deleted, truncated, zeroed, a bit flipped, a byte
 * range, a record or a whole segment duplicated) ends in one of two ways: every acknowledged record comes back
 * exactly, or recovery refuses, names a file of the journal and changes none. Never fewer records without a word.
 * This holds for a closed journal, and for a killed one whose manifest had vouched for every acknowledged record.
 */
class FaultInjectionTest {

    private static final List<String> WRITTEN = Logs.payloads(40);
    private static final WalConfig CONFIG = Logs.config(1024, SyncPolicy.everyBatch());

    private enum Fault { DELETE, TRUNCATE, ZERO, FLIP, DUPLICATE_RANGE, DUPLICATE_RECORD, COPY_FILE }

    @Test
    void anyDamageToAClosedJournalIsEitherRecoveredExactlyOrRefusedWithTheFileNamed() {
        checkAnyDamage(closedJournal(), 17);
    }

    @Test
    void anyDamageToAKilledJournalJustCheckpointedIsEitherRecoveredExactlyOrRefusedWithTheFileNamed() {
        checkAnyDamage(killedJustAfterACheckpoint(), 18);
    }

    private static void checkAnyDamage(SimulatedDirectory closed, long seed) {
        List<String> files = closed.names();
        if (files.size() < 5) {
            throw new AssertionError("the journal should span several segments: " + files);
        }

        qt().withExamples(1500).withFixedSeed(seed)
                .forAll(integers().between(0, Fault.values().length - 1), integers().between(0, files.size() - 1),
                        integers().between(0, 1 << 20), integers().between(0, 1 << 20))
                .checkAssert((fault, file, x, y) -> {
                    String name = files.get(file);
                    SimulatedDirectory dir = closed.crash(new SimulatedDirectory.Crash.KeepAll());
                    String what = damage(dir, Fault.values()[fault], name, files, x, y);
                    var damaged = dir.contents();
                    try {
                        List<String> recovered = Logs.recover(dir);
                        if (!recovered.equals(WRITTEN)) {
                            throw new AssertionError(what + ": recovered " + recovered.size() + " of "
                                    + WRITTEN.size() + " records without a refusal");
                        }
                    } catch (JournalCorruptedException e) {
                        if (!closed.names().contains(e.file()) && !dir.names().contains(e.file())) {
                            throw new AssertionError(what + ": the refusal names no file of the journal: " + e);
                        }
                        if (!e.getMessage().contains(e.file())) {
                            throw new AssertionError(what + ": the message does not name " + e.file() + ": " + e);
                        }
                        if (!damaged.equals(dir.contents())) {
                            throw new AssertionError(what + ": the refusal changed files: " + e);
                        }
                    }
                });
    }

    /** Several segments, written in batches of varied sizes, then closed. */
    private static SimulatedDirectory closedJournal() {
        SimulatedDirectory dir = new SimulatedDirectory();
        try (WriteAheadLog log = WriteAheadLog.open(dir, CONFIG)) {
            append(log);
        }
        return dir;
    }

    private static void append(WriteAheadLog log) {
        for (int from = 0, size = 1; from < WRITTEN.size(); from += size, size = size % 4 + 1) {
            Logs.appendAll(log, WRITTEN.subList(from, Math.min(WRITTEN.size(), from + size)));
        }
    }

    /**
     * The same appends with a checkpoint after every batch, killed as soon as the manifest vouched for all of them:
     * not closed, so recovery goes by the durable end and AFTER_SYNC, as after any crash.
     */
    private static SimulatedDirectory killedJustAfterACheckpoint() {
        AtomicLong nanos = new AtomicLong();
        WalConfig checkpointing = new WalConfig(CONFIG.segmentSize(), CONFIG.maxRecordSize(), CONFIG.syncPolicy(),
                () -> nanos.addAndGet(1_000_000_000L), CONFIG.threadFactory(), Duration.ofSeconds(1));
        SimulatedDirectory dir = new SimulatedDirectory();
        AtomicReference<SimulatedDirectory> killed = new AtomicReference<>();
        dir.beforeEachOperation(() -> {
            if (killed.get() == null && dir.names().contains(Manifest.NAME) && ByteBuffer.wrap(dir.bytes(Manifest.NAME))
                    .order(ByteOrder.LITTLE_ENDIAN).getLong(24) == WRITTEN.size()) {
                killed.set(dir.crash(new SimulatedDirectory.Crash.KeepAll()));
            }
        });
        try (WriteAheadLog log = WriteAheadLog.open(dir, checkpointing)) {
            append(log);
        }
        return killed.get();
    }

    /** Damages {@code name} in {@code dir}; says what it did. */
    private static String damage(SimulatedDirectory dir, Fault fault, String name, List<String> files, int x, int y) {
        byte[] bytes = dir.bytes(name);
        int n = Math.max(1, bytes.length);
        int a = Math.min(x % n, y % n);
        int b = Math.max(x % n, y % n) + 1;
        switch (fault) {
            case DELETE -> dir.delete(name);
            case TRUNCATE -> dir.put(name, Arrays.copyOf(bytes, a));
            case ZERO -> {
                Arrays.fill(bytes, a, Math.min(b, bytes.length), (byte) 0);
                dir.put(name, bytes);
            }
            case FLIP -> {
                if (bytes.length > 0) {
                    bytes[a] ^= (byte) (1 << (y % 8));
                }
                dir.put(name, bytes);
            }
            case DUPLICATE_RANGE -> dir.put(name, insert(bytes, Math.min(b, bytes.length),
                    Arrays.copyOfRange(bytes, a, Math.min(b, bytes.length))));
            case DUPLICATE_RECORD -> {
                if (!name.endsWith(FileNames.SEGMENT)) {
                    return damage(dir, Fault.DUPLICATE_RANGE, name, files, x, y);
                }
                List<Integer> ends = Logs.recordEnds(bytes);
                int record = x % ends.size();
                int start = record == 0 ? SegmentHeader.SIZE : ends.get(record - 1);
                int at = y % 2 == 0 ? ends.get(record) : bytes.length; // right after it, or at the end
                dir.put(name, insert(bytes, at, Arrays.copyOfRange(bytes, start, ends.get(record))));
                return fault + " record " + (record + 1) + " of " + name + " to offset " + at;
            }
            case COPY_FILE -> {
                String over = files.get(y % files.size());
                String target = over.equals(name) ? FileNames.segment(1_000 + x % 1_000) : over;
                dir.put(target, bytes);
                return fault + " " + name + " to " + target;
            }
        }
        return fault + " " + name + " bytes " + a + ".." + b + " bit " + (y % 8);
    }

    private static byte[] insert(byte[] bytes, int at, byte[] inserted) {
        byte[] result = new byte[bytes.length + inserted.length];
        System.arraycopy(bytes, 0, result, 0, at);
        System.arraycopy(inserted, 0, result, at, inserted.length);
        System.arraycopy(bytes, at, result, at + inserted.length, bytes.length - at);
        return result;
    }
}
