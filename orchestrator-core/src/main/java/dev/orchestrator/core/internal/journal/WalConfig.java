package dev.orchestrator.core.internal.journal;

import dev.orchestrator.core.journal.SyncPolicy;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadFactory;
import java.util.function.LongSupplier;

/**
 * How a {@link WriteAheadLog} writes.
 *
 * @param segmentSize the size at which a segment is closed and the next begun
 * @param maxRecordSize the largest payload of one record
 * @param syncPolicy when writes are forced
 * @param nanoClock the clock the {@link SyncPolicy.Interval} policy measures with, like {@link System#nanoTime()}
 * @param threadFactory makes the writer thread and the thread that completes appends
 * @param checkpointInterval the longest the manifest lags behind what was forced while records are appended, or
 *     stays behind once appends stop; measured by {@code nanoClock}. See {@link Manifest}: the shorter, the fewer
 *     acknowledged records a crash leaves without proof of their durability; each checkpoint costs a manifest write.
 */
public record WalConfig(long segmentSize, int maxRecordSize, SyncPolicy syncPolicy, LongSupplier nanoClock,
        ThreadFactory threadFactory, Duration checkpointInterval) {

    /** 64 MiB. */
    public static final long DEFAULT_SEGMENT_SIZE = 64L << 20;
    /** 16 MiB. */
    public static final int DEFAULT_MAX_RECORD_SIZE = 16 << 20;
    /** One second: at a few milliseconds per manifest write, a fraction of a percent of the writer's time. */
    public static final Duration DEFAULT_CHECKPOINT_INTERVAL = Duration.ofSeconds(1);
    /** Segments are read whole into memory, and offsets in them are {@code int}s. */
    public static final long MAX_SEGMENT_SIZE = 1L << 30;

    /** Checks the settings fit together; the messages name the builder methods that set them. */
    public WalConfig {
        Objects.requireNonNull(syncPolicy, "syncPolicy");
        Objects.requireNonNull(nanoClock, "nanoClock");
        Objects.requireNonNull(threadFactory, "threadFactory");
        Objects.requireNonNull(checkpointInterval, "checkpointInterval");
        if (!checkpointInterval.isPositive()) {
            throw new IllegalArgumentException("checkpointInterval must be positive, was " + checkpointInterval);
        }
        if (maxRecordSize < 1) {
            throw new IllegalArgumentException("maxRecordSize must be positive, was " + maxRecordSize);
        }
        long smallest = SegmentHeader.SIZE + (long) RecordFrame.size(maxRecordSize);
        if (segmentSize < smallest || segmentSize > MAX_SEGMENT_SIZE) {
            throw new IllegalArgumentException("segmentSize must be between " + smallest + " (a header and one record "
                    + "of maxRecordSize " + maxRecordSize + ") and " + MAX_SEGMENT_SIZE + ", was " + segmentSize
                    + ": raise segmentSize or lower maxRecordSize");
        }
    }

    /**
     * The defaults: 64 MiB segments, 16 MiB records, a force per batch, the system clock, a daemon thread, a
     * checkpoint a second.
     */
    public static WalConfig defaults() {
        return new WalConfig(DEFAULT_SEGMENT_SIZE, DEFAULT_MAX_RECORD_SIZE, SyncPolicy.everyBatch(),
                System::nanoTime, Thread.ofPlatform().name("journal").daemon(true).factory(),
                DEFAULT_CHECKPOINT_INTERVAL);
    }
}
