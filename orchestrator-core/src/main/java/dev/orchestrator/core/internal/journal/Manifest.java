package dev.orchestrator.core.internal.journal;

import dev.orchestrator.core.journal.JournalCorruptedException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * What must exist in the journal directory: the newest segment, and how far the log reaches for sure. Recovery
 * refuses a directory that holds less, so that a deleted newest segment or a cut-off tail of acknowledged records is
 * never mistaken for a crash. It is replaced atomically when the journal opens, rolls to a new segment and closes,
 * and by a checkpoint at most once per {@link WalConfig#checkpointInterval()}, so that a batch of appends pays
 * nothing for it; it never claims more than was forced when it was written. See {@code docs/wal-format.md}.
 *
 * @param newestSegment the first sequence number of the newest segment, 0 while there is none
 * @param durableSeq every record up to this sequence number had been forced when the manifest was written
 * @param durableEnd the offset in the newest segment up to which its bytes had been forced (the header's size
 *     when its records were not); 0 while there is no segment
 * @param closed the journal was closed: the newest segment ends at {@code durableEnd} with record
 *     {@code durableSeq}, and nothing was written after it
 */
record Manifest(long newestSegment, long durableSeq, long durableEnd, boolean closed) {

    static final String NAME = "journal.manifest";
    static final int SIZE = 48;
    /** The journal's format version: manifests and segments carry it. */
    static final int VERSION = 2;

    private static final long MAGIC = 0x004E_414D_4843_524FL; // "ORCHMAN\0" read little-endian
    private static final int FLAG_CLOSED = 1;

    /** The manifest of a journal that has no segment yet. */
    static Manifest empty() {
        return new Manifest(0, 0, 0, false);
    }

    /** Replaces the manifest so that after a crash it is either the old one or this one, whole. */
    void write(JournalDirectory dir) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(0, MAGIC).putInt(8, VERSION).putLong(16, newestSegment).putLong(24, durableSeq)
                .putLong(32, durableEnd).putInt(40, closed ? FLAG_CLOSED : 0);
        buf.putInt(12, crc(buf));
        String tmp = NAME + FileNames.TEMPORARY;
        dir.delete(tmp);
        try (JournalDirectory.JournalFile file = dir.create(tmp)) {
            file.write(buf, 0);
            file.force(); // the content must be durable before the name says it is the manifest
        }
        dir.rename(tmp, NAME);
        dir.force(); // a rename is not durable until its directory is
    }

    /**
     * The manifest in {@code dir}, or empty if there is none.
     *
     * @throws JournalCorruptedException if it is damaged or of another format version
     */
    static Optional<Manifest> read(JournalDirectory dir) throws IOException {
        if (!dir.list().contains(NAME)) {
            return Optional.empty();
        }
        ByteBuffer buf;
        try (JournalDirectory.JournalFile file = dir.open(NAME)) {
            buf = SegmentFiles.readAll(file, NAME);
        }
        if (buf.limit() >= 12 && buf.getLong(0) == MAGIC && buf.getInt(8) != VERSION) {
            throw new JournalCorruptedException(NAME, 8, 0, "the journal in " + dir.describe() + " is in format "
                    + "version " + buf.getInt(8) + " (its " + NAME + " says so); this version of Orchestrator reads "
                    + "format " + VERSION + " only: open it with the version that wrote it");
        }
        if (buf.limit() != SIZE || buf.getLong(0) != MAGIC || buf.getInt(12) != crc(buf) || buf.getInt(44) != 0
                || (buf.getInt(40) & ~FLAG_CLOSED) != 0) {
            throw new JournalCorruptedException(NAME, 0, 0, "the manifest " + NAME + " of the journal in "
                    + dir.describe() + " is damaged, so the journal cannot tell which segments and records must "
                    + "exist; " + Salvage.advice(dir));
        }
        return Optional.of(new Manifest(buf.getLong(16), buf.getLong(24), buf.getLong(32),
                (buf.getInt(40) & FLAG_CLOSED) != 0));
    }

    private static int crc(ByteBuffer buf) {
        CRC32C crc = new CRC32C();
        crc.update(buf.slice(16, SIZE - 16));
        return (int) crc.getValue();
    }
}
