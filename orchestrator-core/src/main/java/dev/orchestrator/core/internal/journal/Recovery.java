package dev.orchestrator.core.internal.journal;

import dev.orchestrator.core.internal.journal.RecordFrame.Frame;
import dev.orchestrator.core.internal.log.LazyLogger;
import dev.orchestrator.core.journal.JournalCorruptedException;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;

/**
 * Brings a journal directory to a consistent state after whatever happened to the process: checks every retained
 * segment's header, checksums and sequence numbers against each other and against the {@link Manifest}, cuts a torn
 * tail off the last segment, and refuses (with a {@link JournalCorruptedException}, changing nothing) any damage that
 * could have reached acknowledged records: only bytes after what the manifest vouches for, with no record written
 * after a force behind them, can be a torn write. Running it twice changes nothing the second time.
 */
final class Recovery {

    private static final System.Logger LOG = LazyLogger.of(Recovery.class);
    private static final int ZEROS = 64 * 1024;

    private final JournalDirectory dir;
    /** Check only: report a torn tail instead of cutting it, delete nothing, never salvage. */
    private final boolean readOnly;
    private String tornTail;

    private Recovery(JournalDirectory dir, boolean readOnly) {
        this.dir = dir;
        this.readOnly = readOnly;
    }

    /**
     * What recovery left.
     *
     * @param base the sequence number of the newest snapshot, 0 for none
     * @param lastSeq the last record's sequence number, {@code base} when no record follows the snapshot
     * @param active the last segment, to append to; empty when there is none yet
     * @param snapshot the newest snapshot, as recovery read it: a resume needs it, and need not read it again
     */
    record Result(long base, long lastSeq, Optional<Tail> active, Optional<Snapshots.Stored> snapshot) {
    }

    /**
     * What a read-only check found.
     *
     * @param result what recovery would leave, except for the torn tail
     * @param segments how many segments follow the newest snapshot
     * @param tornTail the torn tail that opening the journal would cut, in words; empty when there is none
     */
    record Checked(Result result, int segments, Optional<String> tornTail) {
    }

    /**
     * Checks {@code dir} as {@link #run} would without changing anything in it: a torn tail is reported, not cut,
     * and a salvage that was asked for is not done (the damage it would salvage is reported like any other).
     *
     * @throws JournalCorruptedException if opening the journal would refuse it
     */
    static Checked check(JournalDirectory dir) throws IOException {
        Recovery recovery = new Recovery(dir, true);
        Result result = recovery.run();
        List<Long> firstSeqs = SegmentFiles.firstSeqs(dir.list());
        int segments = result.active().isEmpty() ? 0
                : firstSeqs.size() - Math.max(0, SegmentFiles.chainStart(firstSeqs, result.base()));
        return new Checked(result, segments, Optional.ofNullable(recovery.tornTail));
    }

    /**
     * The last segment and where its data ends.
     *
     * @param name the segment's file name
     * @param header its header
     * @param end the offset just past its last record
     * @param lastSeq the sequence number of its last record, {@code header.firstSeq() - 1} when it has none
     */
    record Tail(String name, SegmentHeader header, long end, long lastSeq) {
    }

    /** Recovers {@code dir}, or salvages it first if recovery refuses and its user asked for that ({@link Salvage}). */
    static Result run(JournalDirectory dir) throws IOException {
        if (!Salvage.requested(dir)) {
            return new Recovery(dir, false).run();
        }
        Result result;
        try {
            result = new Recovery(dir, false).run();
        } catch (JournalCorruptedException refused) {
            Salvage.run(dir, refused);
            result = new Recovery(dir, false).run();
        }
        Salvage.done(dir);
        return result;
    }

    private Result run() throws IOException {
        List<String> names = dir.list();
        for (String name : names) {
            if (!readOnly && name.endsWith(FileNames.TEMPORARY)) {
                dir.delete(name); // a snapshot, segment or manifest never renamed into place: it does not count
            }
        }
        Optional<Snapshots.Stored> snapshot = Snapshots.latest(dir);
        long base = snapshot.map(Snapshots.Stored::seq).orElse(0L);
        Snapshots.Start start = snapshot.map(Snapshots.Stored::start).orElse(Snapshots.Start.SEGMENT_START);
        List<Long> firstSeqs = SegmentFiles.firstSeqs(names);
        Manifest manifest = Manifest.read(dir).orElse(null);
        if (manifest == null) {
            if (!firstSeqs.isEmpty()) {
                throw noManifest(firstSeqs.getFirst());
            }
            return new Result(base, base, Optional.empty(), snapshot);
        }
        checkNewestSegments(manifest, firstSeqs);
        if (firstSeqs.isEmpty()) {
            return new Result(base, base, Optional.empty(), snapshot);
        }
        int chain = SegmentFiles.chainStart(firstSeqs, base);
        if (chain < 0) {
            String first = FileNames.segment(firstSeqs.getFirst());
            throw new JournalCorruptedException(first, 0, base + 1, "journal in " + dir.describe()
                    + " has no segment holding seq " + (base + 1) + (base == 0 ? "" : " (the first after snapshot "
                    + FileNames.snapshot(base) + ")") + ": the first segment is " + first
                    + "; " + Salvage.advice(dir));
        }
        for (int i = 0; i < chain && !readOnly; i++) {
            // wholly older than the snapshot: a deletion after the snapshot was written had not finished
            dir.delete(FileNames.segment(firstSeqs.get(i)));
        }
        long expected = firstSeqs.get(chain);
        Tail tail = null;
        for (int i = chain; i < firstSeqs.size(); i++) {
            long firstSeq = firstSeqs.get(i);
            String name = FileNames.segment(firstSeq);
            if (firstSeq != expected) {
                throw new JournalCorruptedException(name, 0, expected, "journal segment " + name + " in "
                        + dir.describe() + " starts at seq " + firstSeq + " but the previous segment ended at seq "
                        + (expected - 1) + ": a segment is missing; " + Salvage.advice(dir));
            }
            long next = i + 1 < firstSeqs.size() ? firstSeqs.get(i + 1) : Long.MAX_VALUE;
            // the records before the snapshot's start are not read: the snapshot stands for them
            tail = scan(name, expected, next, i == chain ? start : Snapshots.Start.SEGMENT_START,
                    firstSeq == manifest.newestSegment() ? manifest : null);
            expected = tail.lastSeq() + 1;
        }
        if (tail.lastSeq() < manifest.durableSeq()) {
            throw new JournalCorruptedException(tail.name(), tail.end(), expected, "journal in " + dir.describe()
                    + " ends at seq " + (expected - 1) + " in segment " + tail.name() + ", but its " + Manifest.NAME
                    + " says records up to seq " + manifest.durableSeq() + " were durable: acknowledged events are "
                    + "missing; " + Salvage.advice(dir));
        }
        if (tail.lastSeq() < base) {
            throw new JournalCorruptedException(tail.name(), tail.end(), expected, "journal in " + dir.describe()
                    + " ends at seq " + (expected - 1) + " but its newest snapshot is at seq " + base
                    + ": records the snapshot was taken after are missing; " + Salvage.advice(dir));
        }
        return new Result(base, tail.lastSeq(), Optional.of(tail), snapshot);
    }

    private JournalCorruptedException noManifest(long firstSeq) throws IOException {
        String name = FileNames.segment(firstSeq);
        int version;
        try (JournalDirectory.JournalFile file = dir.open(name)) {
            version = SegmentHeader.versionOf(SegmentFiles.readAll(file, name));
        }
        if (version > 0 && version != Manifest.VERSION) {
            return new JournalCorruptedException(name, 8, firstSeq, "the journal in " + dir.describe() + " is in "
                    + "format version " + version + " (segment " + name + " says so), written by an earlier "
                    + "Orchestrator 0.1.0-SNAPSHOT; this version reads format " + Manifest.VERSION + " only: finish "
                    + "the mission with the version that wrote it, or move the directory away to start anew");
        }
        return new JournalCorruptedException(Manifest.NAME, 0, firstSeq, "the journal in " + dir.describe()
                + " has segments (the first is " + name + ") but no " + Manifest.NAME + ", which names the newest "
                + "segment; without it a lost segment cannot be detected. " + Salvage.advice(dir));
    }

    /**
     * The manifest names the newest segment, which must exist; one newer segment may exist, created by a roll that
     * did not get to update the manifest (it holds no record then, but it is checked like any other).
     */
    private void checkNewestSegments(Manifest manifest, List<Long> firstSeqs) {
        List<Long> newer = firstSeqs.stream().filter(seq -> seq > manifest.newestSegment()).toList();
        String newest = FileNames.segment(manifest.newestSegment());
        if (manifest.newestSegment() != 0 && !firstSeqs.contains(manifest.newestSegment())) {
            throw new JournalCorruptedException(newest, 0, manifest.durableSeq(), "journal segment " + newest
                    + " in " + dir.describe() + " is missing, but " + Manifest.NAME + " names it as the newest "
                    + "segment (records up to seq " + manifest.durableSeq() + " were durable): acknowledged events "
                    + "would be lost. " + (firstSeqs.isEmpty() ? "No segment is left" : "The segments left end with "
                    + FileNames.segment(firstSeqs.getLast())) + "; " + Salvage.advice(dir));
        }
        if (newer.size() > 1 || (!newer.isEmpty() && manifest.closed())) {
            String extra = FileNames.segment(newer.getLast());
            throw new JournalCorruptedException(extra, 0, manifest.durableSeq() + 1, "journal segment " + extra
                    + " in " + dir.describe() + " is newer than the newest segment " + Manifest.NAME + " names ("
                    + (manifest.newestSegment() == 0 ? "none" : newest) + (manifest.closed()
                    ? ", where the journal was closed" : "") + "), so the journal did not write it; move it away, or "
                    + Salvage.advice(dir));
        }
    }

    /**
     * Checks segment {@code name} from {@code start} on and cuts a torn tail off it.
     *
     * @param nextFirstSeq the first sequence number of the next segment, {@code Long.MAX_VALUE} if it is the last
     * @param manifest the manifest if it names this segment as the newest, else null
     */
    private Tail scan(String name, long firstSeq, long nextFirstSeq, Snapshots.Start start, Manifest manifest)
            throws IOException {
        boolean last = nextFirstSeq == Long.MAX_VALUE;
        try (JournalDirectory.JournalFile file = dir.open(name)) {
            SegmentFiles.Positioned read = SegmentFiles.read(file, name, start, firstSeq, nextFirstSeq);
            ByteBuffer buf = read.buf();
            SegmentHeader header = SegmentHeader.decode(buf).orElseThrow(() -> new JournalCorruptedException(name,
                    0, firstSeq, "journal segment " + name + " in " + dir.describe() + " has a damaged header "
                    + "(segments are renamed into place with their header, so no crash leaves one); "
                    + Salvage.advice(dir)));
            if (header.firstSeq() != firstSeq || header.prevLastSeq() != firstSeq - 1) {
                throw new JournalCorruptedException(name, 0, firstSeq, "journal segment " + name + " in "
                        + dir.describe() + " has a header for seq " + header.firstSeq() + " after seq "
                        + header.prevLastSeq() + ", not for seq " + firstSeq + " after " + (firstSeq - 1)
                        + ": it was renamed or copied from another journal; " + Salvage.advice(dir));
            }
            long expected = read.seq();
            int offset = read.offset(); // in buf; offset + shift in the file
            int shift = read.shift();
            while (true) {
                Frame frame = RecordFrame.read(buf, offset, header.salt(), header.maxRecordSize());
                if (frame instanceof Frame.Valid valid) {
                    if (valid.seq() != expected) {
                        throw corrupt(name, offset + shift, expected, "holds seq " + valid.seq() + " where seq "
                                + expected + " belongs, with a valid checksum: it was written by another program or "
                                + "a bug");
                    }
                    expected++;
                    offset = valid.next();
                    continue;
                }
                if (offset < buf.limit()) {
                    String what = frame instanceof Frame.Bad bad ? bad.reason() : "a zero length";
                    checkTorn(name, buf, offset, shift, expected, header, last, what);
                    checkNotDurable(name, offset + shift, expected, manifest, what);
                    if (readOnly) {
                        // zeros only: the room the writer preallocates ahead of its records, nothing torn
                        if (!isZero(buf.slice(offset, buf.limit() - offset))) {
                            tornTail = "segment " + name + " ends in a torn write at offset " + (offset + shift)
                                    + " (seq " + expected + ", " + (buf.limit() - offset) + " bytes: " + what
                                    + "), which opening the journal cuts off";
                        }
                    } else {
                        cutTail(file, name, buf.slice(offset, buf.limit() - offset), offset + shift, expected);
                    }
                }
                if (manifest != null && manifest.closed()
                        && (offset + shift != manifest.durableEnd() || expected - 1 != manifest.durableSeq())) {
                    throw corrupt(name, offset + shift, expected, "ends there with seq " + (expected - 1) + ", but "
                            + "the journal was closed at offset " + manifest.durableEnd() + " after seq "
                            + manifest.durableSeq() + " (" + Manifest.NAME + " says so)");
                }
                return new Tail(name, header, offset + shift, expected - 1);
            }
        }
    }

    /**
     * Throws unless the damage at {@code offset} of {@code buf} ({@code offset + shift} of the file) can only be a
     * write that never completed.
     */
    private void checkTorn(String name, ByteBuffer buf, int offset, int shift, long seq, SegmentHeader header,
            boolean last, String what) {
        if (!last) {
            throw corrupt(name, offset + shift, seq, "has " + what + " there, and a later segment exists, so this "
                    + "one was complete and forced before it was closed: this is not a torn write");
        }
        for (int at = offset + 8; at + RecordFrame.HEADER <= buf.limit(); at += 8) {
            if (RecordFrame.read(buf, at, header.salt(), header.maxRecordSize()) instanceof Frame.Valid valid
                    && valid.afterSync()) {
                throw corrupt(name, offset + shift, seq, "has " + what + " there, and the valid record at offset "
                        + (at + shift) + " (seq " + valid.seq() + ") was written after everything before it had been forced, so "
                        + "this is not a torn write");
            }
        }
    }

    /** Throws if the manifest shows that the bytes at {@code offset} had been forced, or written at all. */
    private void checkNotDurable(String name, int offset, long seq, Manifest manifest, String what) {
        if (manifest == null) {
            return;
        }
        if (manifest.closed()) {
            throw corrupt(name, offset, seq, "has " + what + " there, and the journal was closed at offset "
                    + manifest.durableEnd() + " after seq " + manifest.durableSeq() + " (" + Manifest.NAME
                    + " says so), so no write can have been torn: this is not a torn write");
        }
        if (offset < manifest.durableEnd()) {
            throw corrupt(name, offset, seq, "has " + what + " there, and " + Manifest.NAME + " says its bytes up "
                    + "to offset " + manifest.durableEnd() + " (seq " + manifest.durableSeq() + ") were durable: "
                    + "this is not a torn write");
        }
    }

    /**
     * Cuts a torn tail, the {@code damaged} bytes from {@code offset} to the end of the file: keeps a copy of them
     * (they may matter to someone investigating), zeroes them so that a file system that exposes freed blocks after
     * a crash cannot show them again, then truncates.
     */
    private void cutTail(JournalDirectory.JournalFile file, String name, ByteBuffer damaged, int offset, long seq)
            throws IOException {
        if (!isZero(damaged)) {
            String copy = FileNames.tornCopy(name, offset);
            dir.delete(copy);
            try (JournalDirectory.JournalFile out = dir.create(copy)) {
                out.write(damaged.duplicate(), 0);
                out.force();
            }
            dir.force(); // the copy must be durable before the bytes it saves are gone
            // Numbers as plain strings: a MessageFormat would print 14472 as "14,472", unlike the copy's name.
            LOG.log(Level.WARNING, "journal segment {0} in {1}: torn tail at offset {2} (seq {3}) from a crash "
                    + "during a write; cut it off and kept its {4} bytes in {5}", name, dir.describe(),
                    Long.toString(offset), Long.toString(seq), Integer.toString(damaged.remaining()), copy);
            ByteBuffer zeros = ByteBuffer.allocate(Math.min(ZEROS, damaged.remaining()));
            long end = (long) offset + damaged.remaining();
            for (long at = offset; at < end; at += zeros.capacity()) {
                file.write(zeros.clear().limit((int) Math.min(zeros.capacity(), end - at)), at);
            }
            file.force();
        }
        file.truncate(offset);
        file.force();
    }

    private static boolean isZero(ByteBuffer bytes) {
        for (int i = bytes.position(); i < bytes.limit(); i++) {
            if (bytes.get(i) != 0) {
                return false;
            }
        }
        return true;
    }

    private JournalCorruptedException corrupt(String name, int offset, long seq, String what) {
        return new JournalCorruptedException(name, offset, seq, "journal segment " + name + " in " + dir.describe()
                + " is corrupt at offset " + offset + " (seq " + seq + "): it " + what + "; " + Salvage.advice(dir));
    }
}
