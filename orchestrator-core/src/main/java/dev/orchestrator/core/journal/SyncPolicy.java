package dev.orchestrator.core.journal;

import java.time.Duration;
import java.util.Objects;

/** When a {@link FileJournal} forces its writes to the storage device, and so when an append counts as done. */
public sealed interface SyncPolicy {

    /**
     * Force after every batch of appends; an append completes once it is on the device. Survives a process kill and
     * a power loss. The default.
     */
    static SyncPolicy everyBatch() {
        return EveryBatch.INSTANCE;
    }

    /**
     * Force at most every {@code interval}; an append completes once it is written to the operating system. Survives
     * a process kill; a power loss may lose the appends of the last {@code interval}.
     */
    static SyncPolicy interval(Duration interval) {
        return new Interval(interval);
    }

    /**
     * Never force while running (only when a segment is full and on close); an append completes once it is written
     * to the operating system. Survives a process kill, <em>not</em> a power loss or an operating system crash,
     * which may lose any number of recent appends.
     */
    static SyncPolicy none() {
        return None.INSTANCE;
    }

    /** See {@link #everyBatch()}. */
    enum EveryBatch implements SyncPolicy {
        /** The one instance. */
        INSTANCE
    }

    /**
     * See {@link #interval(Duration)}.
     *
     * @param interval the longest time between forces while there are unforced writes
     */
    record Interval(Duration interval) implements SyncPolicy {
        /** Checks the interval is positive. */
        public Interval {
            Objects.requireNonNull(interval, "interval");
            if (interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("sync interval must be positive, was " + interval
                        + ": use SyncPolicy.everyBatch() to force after every batch");
            }
        }
    }

    /** See {@link #none()}. */
    enum None implements SyncPolicy {
        /** The one instance. */
        INSTANCE
    }
}
