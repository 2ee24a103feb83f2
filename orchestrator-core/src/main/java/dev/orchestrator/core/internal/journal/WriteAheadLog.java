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
    /** The newest snapshot's sequence number (0 for none) and where the records after it begin. */
    private long snapshotSeq; // guarded by maintenance
    private Snapshots.Start snapshotStart; // guarded by maintenance
    /**
     * The newest snapshot as recovery read it, until its first reader takes it: a resume reads the file once, and
     * the journal does not hold a copy of the state for the rest of its life.
     */
    private Snapshots.Stored readAtOpen; // guarded by maintenance

    private WriteAheadLog(JournalDirectory dir, int maxRecordSize, GroupCommitWriter writer, long backlogAtOpen,
            Optional<Snapshots.Stored> snapshot) {
        this.dir = dir;
        this.maxRecordSize = maxRecordSize;
        this.writer = writer;
        this.backlogAtOpen = backlogAtOpen;
        this.snapshotSeq = snapshot.map(Snapshots.Stored::seq).orElse(0L);
        this.snapshotStart = snapshot.map(Snapshots.Stored::start).orElse(Snapshots.Start.SEGMENT_START);
        this.readAtOpen = snapshot.orElse(null);
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
            long backlog = recovered.lastSeq() - recovered.base();
            return new WriteAheadLog(dir, config.maxRecordSize(), writer, backlog, recovered.snapshot());
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
                replayAfter(dir, snapshotSeq, snapshotStart, 0, bound, sink);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the journal in " + dir.describe() + ": " + e.getMessage(),
                        e);
            }
        }
    }

    /**
     * What a read-only pass over a log found.
     *
     * @param snapshotSeq the sequence number of the newest snapshot, 0 for none: the records up to it are gone
     * @param lastSeq the last valid record's sequence number
     * @param segments how many segments hold the records after the snapshot
     * @param tornTail a torn write at the end that opening the log would cut, in words; empty when there is none
     */
    public record ReadOnlyPass(long snapshotSeq, long lastSeq, int segments, Optional<String> tornTail) {
    }

    /**
     * Checks the log in {@code dir} as opening it would, and gives {@code sink} its records after {@code afterSeq}
     * (and after the newest snapshot), without taking the directory's lock and without changing anything: a log
     * that a running mission appends to can be read, and a torn tail is reported, not cut.
     *
     * @throws JournalCorruptedException if opening the log would refuse it
     * @throws UncheckedIOException if the directory cannot be read
     */
    public static ReadOnlyPass readOnly(JournalDirectory dir, long afterSeq, RecordSink sink) {
        try {
            Recovery.Checked checked = Recovery.check(dir);
            long base = checked.result().base();
            long last = checked.result().lastSeq();
            Snapshots.Start start = checked.result().snapshot().map(Snapshots.Stored::start)
                    .orElse(Snapshots.Start.SEGMENT_START);
            replayAfter(dir, base, start, afterSeq, last, sink);
            return new ReadOnlyPass(base, last, checked.segments(), checked.tornTail());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the journal in " + dir.describe() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Gives {@code sink} the records after {@code afterSeq} and after the newest snapshot, {@code base}, up to {@code
     * bound}. The snapshot says where the records after it begin in its segment ({@code snapshotStart}), so that
     * segment is read from there.
     */
    private static void replayAfter(JournalDirectory dir, long base, Snapshots.Start snapshotStart, long afterSeq,
            long bound, RecordSink sink) throws IOException {
        long start = Math.max(base, afterSeq);
        List<Long> firstSeqs = SegmentFiles.firstSeqs(dir.list());
        long expected = start + 1;
        int chain = Math.max(0, SegmentFiles.chainStart(firstSeqs, start));
        for (int i = chain; i < firstSeqs.size() && expected <= bound; i++) {
            Snapshots.Start from = i == chain && start == base ? snapshotStart : Snapshots.Start.SEGMENT_START;
            long next = i + 1 < firstSeqs.size() ? firstSeqs.get(i + 1) : Long.MAX_VALUE;
            expected = replaySegment(dir, FileNames.segment(firstSeqs.get(i)), next, from, expected, start, bound,
                    sink);
        }
        if (expected <= bound) {
            throw new JournalCorruptedException("", 0, expected, "the journal in " + dir.describe()
                    + " lost seq " + expected + " while it was open: something else changed its files");
        }
    }

    private static long replaySegment(JournalDirectory dir, String name, long nextFirstSeq, Snapshots.Start start,
            long expected, long base, long bound, RecordSink sink) throws IOException {
        SegmentFiles.Positioned read;
        try (JournalDirectory.JournalFile file = dir.open(name)) {
            read = SegmentFiles.read(file, name, start, FileNames.seqOf(name, FileNames.SEGMENT).orElseThrow(),
                    nextFirstSeq);
        }
        ByteBuffer buf = read.buf();
        SegmentHeader header = SegmentHeader.decode(buf).orElseThrow(() -> new JournalCorruptedException(name, 0,
                expected, "journal segment " + name + " in " + dir.describe() + " lost its header while open"));
        long next = read.seq();
        int offset = read.offset();
        while (next <= bound
                && RecordFrame.read(buf, offset, header.salt(), header.maxRecordSize()) instanceof Frame.Valid v
                && v.seq() == next) {
            if (v.seq() > base) {
                if (v.type() != RecordFrame.TYPE_EVENT_JSON) {
                    int at = offset + read.shift();
                    throw new JournalCorruptedException(name, at, v.seq(), "journal segment " + name
                            + " holds a record of unknown type " + v.type() + " at offset " + at
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
                if (seq < 1 || seq > durable || seq < snapshotSeq) {
                    throw new IllegalArgumentException("a snapshot must be at a sequence number from the newest "
                            + "snapshot's (" + snapshotSeq + ") to the last appended (" + durable + "), was " + seq);
                }
                Snapshots.Start start = startAfter(seq);
                Snapshots.write(dir, seq, state, start);
                snapshotSeq = seq;
                snapshotStart = start;
                readAtOpen = null;
                Snapshots.deleteOlderThan(dir, seq);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write a snapshot to the journal in " + dir.describe() + ": "
                        + e.getMessage(), e);
            }
        }
    }

    /**
     * Where a reader may begin to find the records after {@code seq}: the place the manifest last vouched for, when
     * it is in the segment that holds {@code seq + 1} and not after that record (it is at most one checkpoint
     * interval behind what was forced), else that segment's first record.
     */
    private Snapshots.Start startAfter(long seq) throws IOException {
        List<Long> firstSeqs = SegmentFiles.firstSeqs(dir.list());
        int holding = SegmentFiles.chainStart(firstSeqs, seq);
        if (holding < 0) {
            return Snapshots.Start.SEGMENT_START;
        }
        long firstSeq = firstSeqs.get(holding);
        Optional<Manifest> manifest;
        try {
            manifest = Manifest.read(dir);
        } catch (JournalCorruptedException e) {
            manifest = Optional.empty(); // the writer's business, reported there; a snapshot does without it
        }
        return manifest.filter(m -> m.newestSegment() == firstSeq && m.durableSeq() <= seq)
                .map(m -> new Snapshots.Start(m.durableSeq() + 1, m.durableEnd()))
                .orElse(new Snapshots.Start(firstSeq, SegmentHeader.SIZE));
    }

    /** The newest snapshot, if any. */
    public Optional<Snapshots.Stored> latestSnapshot() {
        synchronized (maintenance) {
            checkOpen();
            if (readAtOpen != null) {
                Snapshots.Stored taken = readAtOpen;
                readAtOpen = null;
                return Optional.of(taken);
            }
            if (snapshotSeq == 0) {
                return Optional.empty();
            }
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
