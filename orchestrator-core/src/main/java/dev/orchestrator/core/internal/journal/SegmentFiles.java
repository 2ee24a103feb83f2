package dev.orchestrator.core.internal.journal;

import dev.orchestrator.core.journal.JournalCorruptedException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
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
        long size = file.size();
        if (size > Integer.MAX_VALUE - 8) {
            throw new JournalCorruptedException(name, 0, 0, "journal file " + name + " is " + size
                    + " bytes, more than any segment this journal writes; move it out of the journal directory");
        }
        ByteBuffer buf = ByteBuffer.allocate((int) size).order(ByteOrder.LITTLE_ENDIAN);
        while (buf.position() < buf.capacity()) {
            // In chunks: a channel reads a heap buffer through a temporary direct one of the same size, which it
            // then keeps cached in the reading thread; a whole segment at once would pin 64 MiB of native memory.
            buf.limit(Math.min(buf.capacity(), buf.position() + READ_CHUNK));
            if (file.read(buf, buf.position()) < 0) {
                // Never hand on a short read: recovery would take the missing end for a torn tail and cut it off.
                throw new IOException("journal file " + name + " ended at byte " + buf.position() + " while "
                        + "reading its " + size + " bytes: something else is changing it");
            }
        }
        return buf.flip();
    }
}
