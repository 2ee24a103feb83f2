package dev.orchestrator.core.internal.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.ThreadLocalRandom;

/** The segment being appended to. Owned by the writer thread, which closes it. */
final class ActiveSegment implements AutoCloseable {

    private final String name;
    private final SegmentHeader header;
    private final JournalDirectory.JournalFile file;
    private long end;

    private ActiveSegment(String name, SegmentHeader header, JournalDirectory.JournalFile file, long end) {
        this.name = name;
        this.header = header;
        this.file = file;
        this.end = end;
    }

    /**
     * Creates the segment for records from {@code firstSeq} on (replacing an empty one of that name), durable with
     * its header before it returns. It is written under a temporary name and renamed into place, so that a segment
     * file never lacks its header: recovery then takes any damaged header for damage, never for a crash.
     */
    static ActiveSegment create(JournalDirectory dir, long firstSeq, int maxRecordSize) throws IOException {
        String name = FileNames.segment(firstSeq);
        String tmp = name + FileNames.TEMPORARY;
        SegmentHeader header = new SegmentHeader(maxRecordSize, ThreadLocalRandom.current().nextLong(), firstSeq,
                firstSeq - 1);
        dir.delete(tmp);
        try (JournalDirectory.JournalFile file = dir.create(tmp)) {
            file.write(header.encode(), 0);
            file.force();
        }
        dir.rename(tmp, name);
        dir.force(); // force the directory too: a new segment's name is not durable until its directory entry is
        return new ActiveSegment(name, header, dir.open(name), SegmentHeader.SIZE);
    }

    /** Reopens a recovered segment to append after its last record, at {@code end}. */
    static ActiveSegment reopen(JournalDirectory dir, Recovery.Tail tail) throws IOException {
        return new ActiveSegment(tail.name(), tail.header(), dir.open(tail.name()), tail.end());
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
    boolean fits(int buffered, int frameSize, int payloadLength, long segmentSize) {
        long at = end + buffered;
        return payloadLength <= header.maxRecordSize() && (at == SegmentHeader.SIZE || at + frameSize <= segmentSize);
    }

    void write(ByteBuffer frames) throws IOException {
        int length = frames.remaining();
        file.write(frames, end);
        end += length;
    }

    void force() throws IOException {
        file.force();
    }

    @Override
    public void close() throws IOException {
        file.close();
    }
}
