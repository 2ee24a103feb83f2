package dev.orchestrator.core.internal.journal;

import dev.orchestrator.core.journal.JournalCorruptedException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.zip.CRC32C;

/**
 * Snapshot files: opaque state as of a sequence number, so that replay can start there and older segments can go.
 * Format 2: {@code magic u64 | version u32 | crc32c u32 (of the bytes from offset 16) | seq u64 | length u64 |
 * start seq u64 | start offset u64 | state}; format 1 (still read) lacks the two start fields.
 */
public final class Snapshots {

    private static final long MAGIC = 0x0050_4e53_4843_524FL; // "ORCHSNP\0" read little-endian
    private static final int VERSION = 2;
    private static final int HEADER = 48;
    private static final int HEADER_V1 = 32;

    private Snapshots() {
    }

    /**
     * A snapshot's content.
     *
     * @param seq the sequence number of the last event the state includes
     * @param state the state, as its writer encoded it
     * @param start where reading may begin in the segment that holds record {@code seq + 1}
     */
    public record Stored(long seq, byte[] state, Start start) {
    }

    /**
     * A record boundary at or before the first record after a snapshot, so that recovery and replay need not read
     * (nor check) the records the snapshot stands for: record {@code seq} begins at {@code offset} of the segment
     * that holds it. {@link #SEGMENT_START} when no such place was known, or the snapshot is of format 1.
     *
     * @param seq the record's sequence number; 0 for the start of the segment
     * @param offset where the record begins
     */
    public record Start(long seq, long offset) {

        /** Reading begins after the segment's header. */
        public static final Start SEGMENT_START = new Start(0, 0);

        /** Whether this start lies in the segment that begins at {@code firstSeq}, before {@code nextFirstSeq}. */
        boolean isIn(long firstSeq, long nextFirstSeq) {
            return this != SEGMENT_START && seq >= firstSeq && seq < nextFirstSeq && offset >= SegmentHeader.SIZE;
        }
    }

    /**
     * Writes a snapshot so that it is either wholly there after a crash or not at all.
     *
     * @param start where the records after {@code seq} may be read from, {@link Start#SEGMENT_START} if unknown
     */
    static void write(JournalDirectory dir, long seq, byte[] state, Start start) throws IOException {
        String name = FileNames.snapshot(seq);
        String tmp = name + FileNames.TEMPORARY;
        dir.delete(tmp);
        ByteBuffer buf = ByteBuffer.allocate(HEADER + state.length).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(0, MAGIC).putInt(8, VERSION).putLong(16, seq).putLong(24, state.length)
                .putLong(32, start.seq()).putLong(40, start.offset()).put(HEADER, state);
        buf.putInt(12, crc(buf));
        try (JournalDirectory.JournalFile file = dir.create(tmp)) {
            file.write(buf, 0);
            file.force(); // the content must be durable before the name says it is complete
        }
        dir.rename(tmp, name);
        dir.force(); // a rename is not durable until its directory is
    }

    /** The sequence number of the newest snapshot among {@code names}. */
    static OptionalLong latestSeq(List<String> names) {
        return names.stream()
                .flatMapToLong(name -> FileNames.seqOf(name, FileNames.SNAPSHOT).stream())
                .max();
    }

    /** Reads the newest snapshot, which must be whole: it was forced before it got its name. */
    static Optional<Stored> latest(JournalDirectory dir) throws IOException {
        OptionalLong seq = latestSeq(dir.list());
        if (seq.isEmpty()) {
            return Optional.empty();
        }
        String name = FileNames.snapshot(seq.getAsLong());
        ByteBuffer buf;
        try (JournalDirectory.JournalFile file = dir.open(name)) {
            buf = SegmentFiles.readAll(file, name);
        }
        int version = buf.limit() >= 12 ? buf.getInt(8) : 0;
        int header = version == 1 ? HEADER_V1 : HEADER;
        if (buf.limit() < header || buf.getLong(0) != MAGIC || (version != 1 && version != VERSION)
                || buf.getInt(12) != crc(buf) || buf.getLong(16) != seq.getAsLong()
                || buf.getLong(24) != buf.limit() - header) {
            throw new JournalCorruptedException(name, 0, seq.getAsLong(), "journal snapshot " + name + " in "
                    + dir.describe() + " is damaged, and the segments before it may be gone; restore the directory "
                    + "from a backup");
        }
        byte[] state = new byte[buf.limit() - header];
        buf.get(header, state);
        Start start = version == 1 ? Start.SEGMENT_START : new Start(buf.getLong(32), buf.getLong(40));
        return Optional.of(new Stored(seq.getAsLong(), state, start));
    }

    /** Deletes the snapshots older than {@code seq} and the segments that hold nothing after it. */
    static void deleteOlderThan(JournalDirectory dir, long seq) throws IOException {
        List<String> names = dir.list();
        for (String name : names) {
            OptionalLong snap = FileNames.seqOf(name, FileNames.SNAPSHOT);
            if (snap.isPresent() && snap.getAsLong() < seq) {
                dir.delete(name);
            }
        }
        // Oldest first, and never the last segment. No directory force: a deletion that does not survive a crash
        // leaves a segment that recovery recognises as older than the snapshot and deletes again.
        List<Long> firstSeqs = SegmentFiles.firstSeqs(names);
        int start = SegmentFiles.chainStart(firstSeqs, seq);
        for (int i = 0; i < start; i++) {
            dir.delete(FileNames.segment(firstSeqs.get(i)));
        }
    }

    private static int crc(ByteBuffer buf) {
        CRC32C crc = new CRC32C();
        crc.update(buf.slice(16, buf.limit() - 16));
        return (int) crc.getValue();
    }
}
