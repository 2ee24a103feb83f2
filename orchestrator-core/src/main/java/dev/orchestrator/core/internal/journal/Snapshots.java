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
 * Format: {@code magic u64 | version u32 | crc32c u32 (of the bytes from offset 16) | seq u64 | length u64 | state}.
 */
public final class Snapshots {

    private static final long MAGIC = 0x0050_4e53_4843_524FL; // "ORCHSNP\0" read little-endian
    private static final int VERSION = 1;
    private static final int HEADER = 32;

    private Snapshots() {
    }

    /**
     * A snapshot's content.
     *
     * @param seq the sequence number of the last event the state includes
     * @param state the state, as its writer encoded it
     */
    public record Stored(long seq, byte[] state) {
    }

    /** Writes a snapshot so that it is either wholly there after a crash or not at all. */
    static void write(JournalDirectory dir, long seq, byte[] state) throws IOException {
        String name = FileNames.snapshot(seq);
        String tmp = name + FileNames.TEMPORARY;
        dir.delete(tmp);
        ByteBuffer buf = ByteBuffer.allocate(HEADER + state.length).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(0, MAGIC).putInt(8, VERSION).putLong(16, seq).putLong(24, state.length).put(HEADER, state);
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
        if (buf.limit() < HEADER || buf.getLong(0) != MAGIC || buf.getInt(8) != VERSION || buf.getInt(12) != crc(buf)
                || buf.getLong(16) != seq.getAsLong() || buf.getLong(24) != buf.limit() - HEADER) {
            throw new JournalCorruptedException(name, 0, seq.getAsLong(), "journal snapshot " + name + " in "
                    + dir.describe() + " is damaged, and the segments before it may be gone; restore the directory "
                    + "from a backup");
        }
        byte[] state = new byte[buf.limit() - HEADER];
        buf.get(HEADER, state);
        return Optional.of(new Stored(seq.getAsLong(), state));
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
