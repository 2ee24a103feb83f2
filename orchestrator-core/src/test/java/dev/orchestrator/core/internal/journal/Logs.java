package dev.orchestrator.core.internal.journal;

import dev.orchestrator.core.journal.SyncPolicy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Helpers for tests that write and read a {@link WriteAheadLog}. */
final class Logs {

    static final String FIRST_SEGMENT = FileNames.segment(1);

    /** Recovery's warnings are expected here, by the thousand; held so that the setting is not collected. */
    private static final java.util.logging.Logger QUIET = quiet();

    private Logs() {
    }

    private static java.util.logging.Logger quiet() {
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger(Logs.class.getPackageName());
        logger.setLevel(java.util.logging.Level.OFF);
        return logger;
    }

    /** No checkpoints, so that what the manifest vouches for does not depend on how fast a test runs. */
    static final java.time.Duration NO_CHECKPOINTS = java.time.Duration.ofNanos(Long.MAX_VALUE);

    static WalConfig config(long segmentSize, SyncPolicy policy) {
        return new WalConfig(segmentSize, (int) Math.min(64 * 1024, segmentSize / 2), policy, System::nanoTime,
                Thread.ofPlatform().name("test-journal").daemon(true).factory(), NO_CHECKPOINTS);
    }

    static WalConfig config() {
        return config(WalConfig.DEFAULT_SEGMENT_SIZE, SyncPolicy.everyBatch());
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** {@code count} distinct payloads of varied sizes. */
    static List<String> payloads(int count) {
        List<String> payloads = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            payloads.add("{\"event\":" + i + ",\"pad\":\"" + "x".repeat((i * 37) % 150) + "\"}");
        }
        return payloads;
    }

    /** Appends each payload and waits for it, so that each is its own batch. */
    static void appendEach(WriteAheadLog log, List<String> payloads) {
        for (String p : payloads) {
            log.append(utf8(p)).join();
        }
    }

    /** Appends all payloads, then waits for all. */
    static void appendAll(WriteAheadLog log, List<String> payloads) {
        List<CompletableFuture<Long>> futures = new ArrayList<>();
        for (String p : payloads) {
            futures.add(log.append(utf8(p)));
        }
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).join();
    }

    static List<String> replay(WriteAheadLog log) {
        List<String> records = new ArrayList<>();
        long[] expected = {-1};
        log.replay((seq, payload) -> {
            if (expected[0] >= 0 && seq != expected[0]) {
                throw new AssertionError("replay gave seq " + seq + " where " + expected[0] + " was expected");
            }
            expected[0] = seq + 1;
            records.add(StandardCharsets.UTF_8.decode(payload).toString());
        });
        return records;
    }

    /**
     * The directory as a {@code kill -9} leaves it after each payload was appended as its own acknowledged batch
     * with {@link #config()}: the manifest still says what it said when the log was opened, so recovery cannot tell
     * the last batch from a write the crash tore.
     */
    static SimulatedDirectory killedAfter(List<String> payloads) {
        return killedAfter(payloads, config());
    }

    static SimulatedDirectory killedAfter(List<String> payloads, WalConfig config) {
        SimulatedDirectory dir = new SimulatedDirectory();
        try (WriteAheadLog log = WriteAheadLog.open(dir, config)) {
            appendEach(log, payloads);
            return dir.crash(new SimulatedDirectory.Crash.KeepAll());
        }
    }

    /** The directory a log with {@code config} leaves after appending each of {@code payloads} and closing. */
    static SimulatedDirectory closedAfter(List<String> payloads, WalConfig config) {
        SimulatedDirectory dir = new SimulatedDirectory();
        try (WriteAheadLog log = WriteAheadLog.open(dir, config)) {
            appendEach(log, payloads);
        }
        return dir;
    }

    /** The segment files of {@code dir}, oldest first. */
    static List<String> segments(SimulatedDirectory dir) {
        return dir.names().stream().filter(n -> n.endsWith(FileNames.SEGMENT)).toList();
    }

    /** A copy of {@code dir} (which no log has open) with {@code name} holding {@code bytes}. */
    static SimulatedDirectory with(SimulatedDirectory dir, String name, byte[] bytes) {
        SimulatedDirectory copy = dir.crash(new SimulatedDirectory.Crash.KeepAll());
        copy.put(name, bytes);
        return copy;
    }

    /** Opens the log in {@code dir}, replays it and closes it. */
    static List<String> recover(JournalDirectory dir) {
        try (WriteAheadLog log = WriteAheadLog.open(dir, config())) {
            return replay(log);
        }
    }

    /** The offsets at which each record of the first segment ends, in order. */
    /**
     * The bytes of {@code segment} in {@code dir} up to the end of its last record: without the zeros the writer
     * preallocates after it, which a killed journal's last segment still has.
     */
    static byte[] records(SimulatedDirectory dir, String segment) {
        byte[] bytes = dir.bytes(segment);
        return Arrays.copyOf(bytes, recordEnds(bytes).getLast());
    }

    static List<Integer> recordEnds(byte[] segment) {
        java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(segment).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        SegmentHeader header = SegmentHeader.decode(buf).orElseThrow();
        List<Integer> ends = new ArrayList<>();
        int offset = SegmentHeader.SIZE;
        while (RecordFrame.read(buf, offset, header.salt(), header.maxRecordSize())
                instanceof RecordFrame.Frame.Valid v) {
            ends.add(v.next());
            offset = v.next();
        }
        return ends;
    }
}
