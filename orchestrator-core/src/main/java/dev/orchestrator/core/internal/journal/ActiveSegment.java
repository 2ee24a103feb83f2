package dev.orchestrator.core.internal.journal;

import dev.orchestrator.core.journal.SyncPolicy;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The segment being appended to. Owned by the writer thread, which closes it.
 *
 * <p>Records are written over zeros written ahead of them (preallocation; forced too when every batch is), so that a
 * forced batch changes only data, neither the file's size nor its blocks: {@code fdatasync} then has no metadata to
 * commit, which on ext4 and XFS spares it a journal commit (without a journal, an inode write) per batch. The zeros
 * ahead grow with the segment (as much again as it holds, from {@value #MIN_PREALLOCATION} to
 * {@value #MAX_PREALLOCATION} bytes, never past the segment size), so a small journal stays small. {@link #trim}
 * cuts them off before the segment is closed for good.
 */
final class ActiveSegment implements AutoCloseable {

    static final int MIN_PREALLOCATION = 64 << 10;
    static final int MAX_PREALLOCATION = 4 << 20;
    private static final byte[] ZEROS = new byte[256 << 10];

    private final String name;
    private final SegmentHeader header;
    private JournalDirectory.JournalFile file;
    private final long segmentSize;
    private final boolean forceZeros; // every batch is forced, so the zeros under it must be allocated first
    private long end;
    private long allocated; // the file's size: records up to end, zeros after it

    private ActiveSegment(String name, SegmentHeader header, JournalDirectory.JournalFile file, WalConfig config,
            long end, long allocated) {
        this.name = name;
        this.header = header;
        this.file = file;
        this.segmentSize = config.segmentSize();
        this.forceZeros = config.syncPolicy() instanceof SyncPolicy.EveryBatch;
        this.end = end;
        this.allocated = allocated;
    }

    /**
     * Creates the segment for records from {@code firstSeq} on (replacing an empty one of that name), durable with
     * its header before it returns. It is written under a temporary name and renamed into place, so that a segment
     * file never lacks its header: recovery then takes any damaged header for damage, never for a crash.
     */
    static ActiveSegment create(JournalDirectory dir, long firstSeq, WalConfig config) throws IOException {
        String name = FileNames.segment(firstSeq);
        String tmp = name + FileNames.TEMPORARY;
        SegmentHeader header = new SegmentHeader(config.maxRecordSize(), ThreadLocalRandom.current().nextLong(),
                firstSeq, firstSeq - 1);
        dir.delete(tmp);
        try (JournalDirectory.JournalFile file = dir.create(tmp)) {
            file.write(header.encode(), 0);
            file.force();
        }
        dir.rename(tmp, name);
        dir.force(); // force the directory too: a new segment's name is not durable until its directory entry is
        return new ActiveSegment(name, header, dir.open(name), config, SegmentHeader.SIZE,
                SegmentHeader.SIZE);
    }

    /** Reopens a recovered segment to append after its last record, at {@code end}. */
    static ActiveSegment reopen(JournalDirectory dir, Recovery.Tail tail, WalConfig config) throws IOException {
        JournalDirectory.JournalFile file = dir.open(tail.name());
        try {
            return new ActiveSegment(tail.name(), tail.header(), file, config, tail.end(),
                    Math.max(tail.end(), file.size()));
        } catch (IOException | RuntimeException e) {
            file.close();
            throw e;
        }
    }

    String name() {
        return name;
    }

    long firstSeq() {
        return header.firstSeq();
    }

    /** The offset just past the last record written. */
    long end() {
        return end;
    }

    long salt() {
        return header.salt();
    }

    /**
     * Whether a frame of {@code frameSize} bytes for a payload of {@code payloadLength} goes in this segment after
     * {@code buffered} bytes not written yet. A segment takes at least one record, whatever its size.
     */
    boolean fits(int buffered, int frameSize, int payloadLength) {
        long at = end + buffered;
        return payloadLength <= header.maxRecordSize() && (at == SegmentHeader.SIZE || at + frameSize <= segmentSize);
    }

    void write(ByteBuffer frames) throws IOException {
        int length = frames.remaining();
        preallocate(end + length);
        file.write(frames, end);
        end += length;
    }

    /**
     * Writes {@code frames} as {@link #write} does and returns once they are durable, as after {@link #force}; only
     * when nothing written before is unforced (see {@link JournalDirectory.JournalFile#writeDurably}). The zeros
     * written ahead are not covered, and need not be: recovery reads the end of the data from the records, and
     * takes whatever a crash leaves after them in the newest segment for its unforced tail.
     */
    void writeDurably(ByteBuffer frames) throws IOException {
        int length = frames.remaining();
        preallocate(end + length);
        file.writeDurably(frames, end);
        end += length;
    }

    /**
     * Writes zeros from the file's end on, so that it reaches at least {@code upTo}; under
     * {@link SyncPolicy#everyBatch()} it forces them too. Not for their durability: recovery takes zeros, unwritten
     * blocks or the file's end alike for the end of the records. The force gives them their blocks now: ext4
     * allocates a block written to only when it writes it back (delayed allocation), so without it every batch's sync
     * allocated the blocks under the batch and wrote the inode, one more synchronous write per batch (measured:
     * benchmarks/README.md, journal, round 24). One force per preallocation, which grows with the segment, costs less.
     * Under the other policies a batch is not forced, and the force that comes pays for the allocation once.
     */
    private void preallocate(long upTo) throws IOException {
        if (upTo <= allocated) {
            return;
        }
        long ahead = Math.clamp(end - SegmentHeader.SIZE, MIN_PREALLOCATION, MAX_PREALLOCATION);
        long target = Math.max(upTo, Math.min(upTo + ahead, segmentSize));
        while (allocated < target) {
            int length = (int) Math.min(ZEROS.length, target - allocated);
            file.write(ByteBuffer.wrap(ZEROS, 0, length), allocated);
            allocated += length;
        }
        if (forceZeros) {
            file.force();
        }
    }

    /**
     * Cuts the preallocated zeros off, before the segment is closed for good (a roll or the journal's close): every
     * segment but the last, and a closed journal's last one, must end with its last record. True if the file
     * changed, and needs a force for that to be durable.
     */
    boolean trim() throws IOException {
        if (allocated == end) {
            return false;
        }
        file.truncate(end);
        allocated = end;
        return true;
    }

    void force() throws IOException {
        file.force();
    }

    /** Where the records and the preallocated zeros end now, for {@link #reopenAt}. */
    record Mark(long end, long allocated) {
    }

    Mark mark() {
        return new Mark(end, allocated);
    }

    /**
     * Opens the file again, after an interrupt of the thread writing it closed its channel, and goes back to
     * {@code mark}: whatever was written after it is written again, with the same bytes.
     */
    void reopenAt(JournalDirectory dir, Mark mark) throws IOException {
        file.close();
        file = dir.open(name);
        end = mark.end();
        allocated = mark.allocated();
    }

    @Override
    public void close() throws IOException {
        file.close();
    }
}
