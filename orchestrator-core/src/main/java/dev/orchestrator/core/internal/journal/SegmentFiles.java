package dev.orchestrator.core.internal.journal;

import dev.orchestrator.core.journal.JournalCorruptedException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/** Finding and reading the journal's segment files. */
final class SegmentFiles {

    private static final int READ_CHUNK = 1 << 20;

    private SegmentFiles() {
    }

    /** The first sequence numbers of the segments among {@code names}, ascending. */
    static List<Long> firstSeqs(List<String> names) {
        List<Long> seqs = new ArrayList<>();
        for (String name : names) {
            OptionalLong seq = FileNames.seqOf(name, FileNames.SEGMENT);
            if (seq.isPresent()) {
                seqs.add(seq.getAsLong());
            }
        }
        seqs.sort(null);
        return seqs;
    }

    /**
     * The index in {@code firstSeqs} of the segment that holds (or would hold) sequence number {@code base + 1}:
     * the segments before it hold only what the snapshot at {@code base} stands for. -1 if every segment starts
     * after it.
     */
    static int chainStart(List<Long> firstSeqs, long base) {
        int start = -1;
        for (int i = 0; i < firstSeqs.size() && firstSeqs.get(i) <= base + 1; i++) {
            start = i;
        }
        return start;
    }

    /** The whole of {@code file}, little-endian, from position 0 to its size. */
    static ByteBuffer readAll(JournalDirectory.JournalFile file, String name) throws IOException {
        ByteBuffer buf = allocate(file, name);
        readRange(file, name, buf, 0, buf.capacity());
        return buf.flip();
    }

    /**
     * Segment {@code name}'s bytes and where its records are to be read from: at {@code start} when a valid record
     * with the sequence number it names is there, or nothing but zeros follows it (the bytes between the header and
     * it, which a snapshot stands for, are then left unread, as zeros); else the whole segment from its first record.
     *
     * @param nextFirstSeq the first sequence number of the next segment, {@code Long.MAX_VALUE} for none
     */
    static Positioned read(JournalDirectory.JournalFile file, String name, Snapshots.Start start, long firstSeq,
            long nextFirstSeq) throws IOException {
        if (start.isIn(firstSeq, nextFirstSeq) && start.offset() <= file.size()) {
            ByteBuffer buf = allocate(file, name);
            readRange(file, name, buf, 0, SegmentHeader.SIZE);
            readRange(file, name, buf, (int) start.offset(), buf.capacity());
            buf.clear();
            Optional<SegmentHeader> header = SegmentHeader.decode(buf);
            if (header.isPresent() && header.get().firstSeq() == firstSeq && startsThere(buf, header.get(), start)) {
                return new Positioned(buf, (int) start.offset(), start.seq());
            }
        }
        return new Positioned(readAll(file, name), SegmentHeader.SIZE, firstSeq);
    }

    /**
     * A segment's bytes, and where to begin reading its records.
     *
     * @param buf the segment, from offset 0 to its size (bytes skipped are zeros)
     * @param offset where the first record to read begins
     * @param seq that record's sequence number
     */
    record Positioned(ByteBuffer buf, int offset, long seq) {
    }

    private static boolean startsThere(ByteBuffer buf, SegmentHeader header, Snapshots.Start start) {
        int offset = (int) start.offset();
        return switch (RecordFrame.read(buf, offset, header.salt(), header.maxRecordSize())) {
            case RecordFrame.Frame.Valid valid -> valid.seq() == start.seq();
            // the snapshot's record was the last: nothing follows it yet
            case RecordFrame.Frame.End end -> isZero(buf, offset);
            case RecordFrame.Frame.Bad bad -> false;
        };
    }

    private static boolean isZero(ByteBuffer buf, int from) {
        for (int i = from; i < buf.limit(); i++) {
            if (buf.get(i) != 0) {
                return false;
            }
        }
        return true;
    }

    private static ByteBuffer allocate(JournalDirectory.JournalFile file, String name) throws IOException {
        long size = file.size();
        if (size > Integer.MAX_VALUE - 8) {
            throw new JournalCorruptedException(name, 0, 0, "journal file " + name + " is " + size
                    + " bytes, more than any segment this journal writes; move it out of the journal directory");
        }
        return ByteBuffer.allocate((int) size).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Reads bytes {@code from} to {@code to} of {@code file} into the same places of {@code buf}. */
    private static void readRange(JournalDirectory.JournalFile file, String name, ByteBuffer buf, int from, int to)
            throws IOException {
        buf.limit(to).position(from);
        while (buf.position() < to) {
            // In chunks: a channel reads a heap buffer through a temporary direct one of the same size, which it
            // then keeps cached in the reading thread; a whole segment at once would pin 64 MiB of native memory.
            buf.limit(Math.min(to, buf.position() + READ_CHUNK));
            if (file.read(buf, buf.position()) < 0) {
                // Never hand on a short read: recovery would take the missing end for a torn tail and cut it off.
                throw new IOException("journal file " + name + " ended at byte " + buf.position() + " while "
                        + "reading its " + buf.capacity() + " bytes: something else is changing it");
            }
        }
    }
}
