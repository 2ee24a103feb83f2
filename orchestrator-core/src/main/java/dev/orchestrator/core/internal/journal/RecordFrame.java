package dev.orchestrator.core.internal.journal;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * Encodes and checks the frame around one record. See {@code docs/wal-format.md}: little-endian, 8-byte aligned,
 * {@code length u32 | crc32c u32 | type u32 | flags u32 | seq u64 | payload | zero padding}.
 */
final class RecordFrame {

    static final int HEADER = 24;
    static final int TYPE_EVENT_JSON = 1;

    /**
     * Every record before this one had been forced when this one was written. A valid record with this flag after a
     * bad one proves the bad one was durable, so the damage is corruption, not a torn write.
     */
    static final int FLAG_AFTER_SYNC = 1;

    private RecordFrame() {
    }

    /** The frame's size for a payload of {@code payloadLength} bytes. */
    static int size(int payloadLength) {
        return HEADER + ((payloadLength + 7) & ~7);
    }

    /** Writes a frame at {@code dst}'s position, which must be 8-byte aligned in the file, and advances it. */
    static void encode(ByteBuffer dst, long salt, int type, int flags, long seq, byte[] payload) {
        int at = dst.position();
        dst.putInt(payload.length).putInt(0).putInt(type).putInt(flags).putLong(seq).put(payload);
        for (int pad = size(payload.length) - HEADER - payload.length; pad > 0; pad--) {
            dst.put((byte) 0);
        }
        dst.putInt(at + 4, crc(dst, at, salt, payload.length));
    }

    /**
     * What is at {@code offset} of {@code buf} (which holds the file from offset 0 to its size, little-endian).
     *
     * @param maxRecordSize the largest payload this segment allows
     */
    static Frame read(ByteBuffer buf, int offset, long salt, int maxRecordSize) {
        int left = buf.limit() - offset;
        if (left == 0) {
            return new Frame.End(offset);
        }
        if (left < 4) {
            return isZero(buf, offset, buf.limit()) ? new Frame.End(offset) : new Frame.Bad(offset, "a cut length");
        }
        int length = buf.getInt(offset);
        if (length == 0) {
            return new Frame.End(offset);
        }
        if (length < 0 || length > maxRecordSize) {
            return new Frame.Bad(offset, "length " + Integer.toUnsignedString(length) + " beyond the maximum "
                    + maxRecordSize);
        }
        int size = size(length);
        if (size > left) {
            return new Frame.Bad(offset, "length " + length + " beyond the end of the file");
        }
        if (buf.getInt(offset + 4) != crc(buf, offset, salt, length)) {
            return new Frame.Bad(offset, "a checksum mismatch");
        }
        if (!isZero(buf, offset + HEADER + length, offset + size)) {
            return new Frame.Bad(offset, "non-zero padding");
        }
        int flags = buf.getInt(offset + 12);
        if ((flags & ~FLAG_AFTER_SYNC) != 0) {
            return new Frame.Bad(offset, "unknown flags " + Integer.toHexString(flags));
        }
        return new Frame.Valid(offset, buf.getInt(offset + 8), flags, buf.getLong(offset + 16), offset + HEADER,
                length, offset + size);
    }

    private static int crc(ByteBuffer buf, int frame, long salt, int length) {
        CRC32C crc = new CRC32C();
        for (int i = 0; i < 8; i++) {
            crc.update((int) (salt >>> (8 * i)));
        }
        crc.update(buf.slice(frame + 8, 16 + length));
        return (int) crc.getValue();
    }

    private static boolean isZero(ByteBuffer buf, int from, int to) {
        for (int i = from; i < to; i++) {
            if (buf.get(i) != 0) {
                return false;
            }
        }
        return true;
    }

    /** What {@link #read} found. */
    sealed interface Frame {

        /** Where it starts. */
        int offset();

        /** A record whose checksum, bounds and padding are right. */
        record Valid(int offset, int type, int flags, long seq, int payloadOffset, int payloadLength, int next)
                implements Frame {

            boolean afterSync() {
                return (flags & FLAG_AFTER_SYNC) != 0;
            }
        }

        /** The end of the data: the end of the file or a zero length. */
        record End(int offset) implements Frame {
        }

        /** Not a record. */
        record Bad(int offset, String reason) implements Frame {
        }
    }
}
