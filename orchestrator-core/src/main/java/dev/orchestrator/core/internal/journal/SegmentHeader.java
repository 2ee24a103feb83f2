package dev.orchestrator.core.internal.journal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * The first {@value #SIZE} bytes of a segment. See {@code docs/wal-format.md}.
 *
 * @param maxRecordSize the largest payload a record of this segment may have
 * @param salt a random number, new for every segment, mixed into each record's checksum so that bytes left from
 *     another segment or an earlier life of this file never read as valid records
 * @param firstSeq the sequence number of the segment's first record
 * @param prevLastSeq the sequence number of the previous segment's last record, 0 for none
 */
record SegmentHeader(int maxRecordSize, long salt, long firstSeq, long prevLastSeq) {

    static final int SIZE = 48;
    static final int VERSION = Manifest.VERSION;
    private static final long MAGIC = 0x004C_4157_4843_524FL; // "ORCHWAL\0" read little-endian

    ByteBuffer encode() {
        ByteBuffer buf = ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(0, MAGIC).putInt(8, VERSION).putInt(12, maxRecordSize).putLong(16, salt)
                .putLong(24, firstSeq).putLong(32, prevLastSeq);
        buf.putInt(40, crc(buf));
        return buf;
    }

    /** The header in {@code buf} (little-endian, {@value #SIZE} bytes from position 0), or empty if it is not one. */
    static Optional<SegmentHeader> decode(ByteBuffer buf) {
        if (buf.limit() < SIZE || buf.getLong(0) != MAGIC || buf.getInt(8) != VERSION || buf.getInt(44) != 0
                || buf.getInt(40) != crc(buf) || buf.getInt(12) <= 0) {
            return Optional.empty();
        }
        return Optional.of(new SegmentHeader(buf.getInt(12), buf.getLong(16), buf.getLong(24), buf.getLong(32)));
    }

    /** The format version of the header in {@code buf} if it starts with the magic, else -1: for messages only. */
    static int versionOf(ByteBuffer buf) {
        return buf.limit() >= 12 && buf.getLong(0) == MAGIC ? buf.getInt(8) : -1;
    }

    private static int crc(ByteBuffer buf) {
        CRC32C crc = new CRC32C();
        crc.update(buf.slice(0, 40));
        return (int) crc.getValue();
    }
}
