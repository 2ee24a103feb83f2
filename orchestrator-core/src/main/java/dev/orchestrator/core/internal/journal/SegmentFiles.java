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
        ByteBuffer buf = allocate(file.size(), name);
        readRange(file, name, buf, 0, 0, buf.capacity());
        return buf.flip();
    }

    /**
     * Segment {@code name}'s bytes and where its records are to be read from: at {@code start} when a valid record
     * with the sequence number it names is there, or nothing but zeros follows it; else the whole segment from its
     * first record. From {@code start}, the buffer holds the header and the bytes from {@code start} on, right after
     * it: the records a snapshot stands for are neither read nor given room (a 64 MiB segment's buffer, zeroed, was
     * a tenth of a resume's time).
     *
     * @param nextFirstSeq the first sequence number of the next segment, {@code Long.MAX_VALUE} for none
     */
    static Positioned read(JournalDirectory.JournalFile file, String name, Snapshots.Start start, long firstSeq,
            long nextFirstSeq) throws IOException {
        long size = file.size();
        if (start.isIn(firstSeq, nextFirstSeq) && start.offset() <= size) {
            int shift = (int) start.offset() - SegmentHeader.SIZE;
            ByteBuffer buf = allocate(size - shift, name);
            readRange(file, name, buf, 0, 0, SegmentHeader.SIZE);
            readRange(file, name, buf, shift, SegmentHeader.SIZE, buf.capacity());
            buf.clear();
            Optional<SegmentHeader> header = SegmentHeader.decode(buf);
            if (header.isPresent() && header.get().firstSeq() == firstSeq
                    && startsThere(buf, header.get(), start.seq())) {
                return new Positioned(buf, SegmentHeader.SIZE, start.seq(), shift);
            }
        }
        return new Positioned(readAll(file, name), SegmentHeader.SIZE, firstSeq, 0);
    }

    /**
     * A segment's bytes, and where to begin reading its records.
     *
     * @param buf the segment's header, then its bytes from {@code offset + shift} to its end
     * @param offset where in {@code buf} the first record to read begins
     * @param seq that record's sequence number
     * @param shift what to add to a place in {@code buf} after the header to have its offset in the file
     */
    record Positioned(ByteBuffer buf, int offset, long seq, int shift) {
    }

    private static boolean startsThere(ByteBuffer buf, SegmentHeader header, long seq) {
        int offset = SegmentHeader.SIZE;
        return switch (RecordFrame.read(buf, offset, header.salt(), header.maxRecordSize())) {
            case RecordFrame.Frame.Valid valid -> valid.seq() == seq;
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

    private static ByteBuffer allocate(long bytes, String name) throws JournalCorruptedException {
        if (bytes > Integer.MAX_VALUE - 8) {
            throw new JournalCorruptedException(name, 0, 0, "journal file " + name + " is more than " + bytes
                    + " bytes, more than any segment this journal writes; move it out of the journal directory");
        }
        return ByteBuffer.allocate((int) bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * Reads the bytes of {@code file} from {@code from + shift} to {@code to + shift} into places {@code from} to
     * {@code to} of {@code buf}.
     */
    private static void readRange(JournalDirectory.JournalFile file, String name, ByteBuffer buf, int shift, int from,
            int to) throws IOException {
        buf.limit(to).position(from);
        while (buf.position() < to) {
            // In chunks: a channel reads a heap buffer through a temporary direct one of the same size, which it
            // then keeps cached in the reading thread; a whole segment at once would pin 64 MiB of native memory.
            buf.limit(Math.min(to, buf.position() + READ_CHUNK));
            if (file.read(buf, (long) buf.position() + shift) < 0) {
                // Never hand on a short read: recovery would take the missing end for a torn tail and cut it off.
                throw new IOException("journal file " + name + " ended at byte " + (buf.position() + shift)
                        + " while reading it to byte " + (to + shift) + ": something else is changing it");
            }
        }
    }
}
