package dev.orchestrator.core.internal.journal;

import dev.orchestrator.core.internal.journal.RecordFrame.Frame;
import dev.orchestrator.core.journal.JournalCorruptedException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A segment-file write-ahead log of opaque records: recovery on open, group commit while running, snapshots to keep
 * replay short. The format is in {@code docs/wal-format.md}.
 */
public final class WriteAheadLog implements AutoCloseable {

    private final JournalDirectory dir;
    private final int maxRecordSize;
    private final GroupCommitWriter writer;
    private final Object maintenance = new Object(); // replay and snapshots: not while segments are being deleted
    private final long backlogAtOpen;
    private boolean closed; // guarded by maintenance

    private WriteAheadLog(JournalDirectory dir, int maxRecordSize, GroupCommitWriter writer, long backlogAtOpen) {
        this.dir = dir;
        this.maxRecordSize = maxRecordSize;
        this.writer = writer;
        this.backlogAtOpen = backlogAtOpen;
    }

    /** How many records followed the newest snapshot when the log was opened: what a replay then gave. */
    public long backlogAtOpen() {
        return backlogAtOpen;
    }

    /**
     * Recovers the log in {@code dir} and opens it for appending.
     *
     * @throws JournalCorruptedException if the log is damaged in a way a crash cannot explain
     * @throws IllegalStateException if another log holds the directory
     * @throws UncheckedIOException if the directory cannot be read or written
     */
    public static WriteAheadLog open(JournalDirectory dir, WalConfig config) {
        AutoCloseable lock = null;
        try {
            lock = dir.lock();
            Recovery.Result recovered = Recovery.run(dir);
            ActiveSegment segment = activeSegment(dir, recovered, config);
            GroupCommitWriter writer;
            try {
                writer = new GroupCommitWriter(dir, lock, config, segment, recovered.lastSeq());
            } catch (RuntimeException e) {
                segment.close(); // the writer never took it over
                throw e;
            }
            long backlog = recovered.lastSeq() - Snapshots.latestSeq(dir.list()).orElse(0);
            return new WriteAheadLog(dir, config.maxRecordSize(), writer, backlog);
        } catch (IOException e) {
            release(lock, e);
            throw new UncheckedIOException("cannot open the journal in " + dir.describe() + ": " + e.getMessage()
                    + "; check that it is a writable directory", e);
        } catch (RuntimeException e) {
            release(lock, e);
            throw e;
        }
    }

    private static void release(AutoCloseable lock, Exception failure) {
        if (lock == null) {
            return;
        }
        try {
            lock.close();
        } catch (Exception e) {
            failure.addSuppressed(e);
        }
    }

    /**
     * The segment to append to, with everything recovery kept forced, and the manifest saying so (no longer that
     * the journal was closed: from now on a crash may tear the writes after it).
     */
    private static ActiveSegment activeSegment(JournalDirectory dir, Recovery.Result recovered, WalConfig config)
            throws IOException {
        ActiveSegment segment = openSegment(dir, recovered, config);
        try {
            new Manifest(segment.firstSeq(), recovered.lastSeq(), segment.end(), false).write(dir);
        } catch (IOException | RuntimeException e) {
            segment.close();
            throw e;
        }
        return segment;
    }

    private static ActiveSegment openSegment(JournalDirectory dir, Recovery.Result recovered, WalConfig config)
            throws IOException {
        if (recovered.active().isEmpty()) {
            // Say first that there is no segment yet: a manifest must exist before any segment does.
            Manifest.empty().write(dir);
            return ActiveSegment.create(dir, recovered.lastSeq() + 1, config);
        }
        Recovery.Tail tail = recovered.active().get();
        if (tail.end() == SegmentHeader.SIZE && tail.header().maxRecordSize() < config.maxRecordSize()) {
            // An empty segment with a lower record limit: rolling past it would need its name, so replace it.
            return ActiveSegment.create(dir, tail.header().firstSeq(), config);
        }
        ActiveSegment segment = ActiveSegment.reopen(dir, tail, config);
        try {
            // What recovery kept may be in the page cache only (the last run used SyncPolicy.none()); the first
            // record written next will say that everything before it was forced, so make that true.
            segment.force();
        } catch (IOException | RuntimeException e) {
            segment.close();
            throw e;
        }
        return segment;
    }

    /**
     * Appends a record; the future completes with its sequence number once the sync policy is satisfied, and
     * futures complete in sequence order.
     */
    public CompletableFuture<Long> append(byte[] payload) {
        if (payload.length == 0 || payload.length > maxRecordSize) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("a journal record must have 1 to "
                    + maxRecordSize + " bytes, this one has " + payload.length
                    + (payload.length == 0 ? "" : ": raise maxRecordSize")));
        }
        return writer.append(payload);
    }

    /** What {@link #replay} hands out. */
    @FunctionalInterface
    public interface RecordSink {
        /** Takes the record with sequence number {@code seq}; {@code payload} is valid during the call only. */
        void accept(long seq, ByteBuffer payload);
    }

    /**
     * Gives {@code sink} every record after the newest snapshot up to the last completed append, oldest first.
     *
     * @throws JournalCorruptedException if a record is missing that was there when the log was opened
     */
    public void replay(RecordSink sink) {
        synchronized (maintenance) {
            checkOpen();
            long bound = writer.completedSeq();
            try {
                List<String> names = dir.list();
                long base = Snapshots.latestSeq(names).orElse(0);
                List<Long> firstSeqs = SegmentFiles.firstSeqs(names);
                long expected = base + 1;
                for (int i = Math.max(0, SegmentFiles.chainStart(firstSeqs, base));
                        i < firstSeqs.size() && expected <= bound; i++) {
                    expected = replaySegment(FileNames.segment(firstSeqs.get(i)), expected, base, bound, sink);
                }
                if (expected <= bound) {
                    throw new JournalCorruptedException("", 0, expected, "the journal in " + dir.describe()
                            + " lost seq " + expected + " while it was open: something else changed its files");
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the journal in " + dir.describe() + ": " + e.getMessage(),
                        e);
            }
        }
    }

    private long replaySegment(String name, long expected, long base, long bound, RecordSink sink)
            throws IOException {
        ByteBuffer buf;
        try (JournalDirectory.JournalFile file = dir.open(name)) {
            buf = SegmentFiles.readAll(file, name);
        }
        SegmentHeader header = SegmentHeader.decode(buf).orElseThrow(() -> new JournalCorruptedException(name, 0,
                expected, "journal segment " + name + " in " + dir.describe() + " lost its header while open"));
        long next = header.firstSeq();
        int offset = SegmentHeader.SIZE;
        while (next <= bound
                && RecordFrame.read(buf, offset, header.salt(), header.maxRecordSize()) instanceof Frame.Valid v
                && v.seq() == next) {
            if (v.seq() > base) {
                if (v.type() != RecordFrame.TYPE_EVENT_JSON) {
                    throw new JournalCorruptedException(name, offset, v.seq(), "journal segment " + name
                            + " holds a record of unknown type " + v.type() + " at offset " + offset
                            + ": it was written by a newer version; use that version to read it");
                }
                sink.accept(v.seq(), buf.slice(v.payloadOffset(), v.payloadLength()));
            }
            next++;
            offset = v.next();
        }
        return Math.max(next, expected);
    }

    /**
     * Stores {@code state} as the state after the record {@code seq}, durably, then deletes the older snapshots and
     * the segments that hold nothing after it. Replay starts after the newest snapshot.
     *
     * @throws IllegalArgumentException if {@code seq} was not appended yet or is older than the newest snapshot
     */
    public void snapshot(long seq, byte[] state) {
        // Everything up to seq must be durable before a snapshot stands for it; under SyncPolicy.none() it is not yet.
        long durable = join(writer.forceAll());
        synchronized (maintenance) {
            checkOpen();
            try {
                long newest = Snapshots.latestSeq(dir.list()).orElse(0);
                if (seq < 1 || seq > durable || seq < newest) {
                    throw new IllegalArgumentException("a snapshot must be at a sequence number from the newest "
                            + "snapshot's (" + newest + ") to the last appended (" + durable + "), was " + seq);
                }
                Snapshots.write(dir, seq, state);
                Snapshots.deleteOlderThan(dir, seq);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write a snapshot to the journal in " + dir.describe() + ": "
                        + e.getMessage(), e);
            }
        }
    }

    /** The newest snapshot, if any. */
    public Optional<Snapshots.Stored> latestSnapshot() {
        synchronized (maintenance) {
            checkOpen();
            try {
                return Snapshots.latest(dir);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read a snapshot of the journal in " + dir.describe() + ": "
                        + e.getMessage(), e);
            }
        }
    }

    /**
     * Writes and forces what is queued, completes every future, then stops the threads, closes the files and
     * releases the directory. Called from a completion callback, it returns at once: the threads finish the rest
     * on their own.
     */
    @Override
    public void close() {
        synchronized (maintenance) {
            closed = true;
        }
        writer.close();
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the journal in " + dir.describe() + " is closed: open it again");
        }
    }

    private static long join(CompletableFuture<Long> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }
}
