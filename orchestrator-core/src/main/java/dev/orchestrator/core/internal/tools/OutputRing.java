package dev.orchestrator.core.internal.tools;

import java.nio.charset.StandardCharsets;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The output of a background process in bounded memory: the newest {@code capacity} bytes, addressed by their
 * absolute offset since the process started, so a reader asks for what came after the offset it last saw. Older
 * bytes are dropped and a reader that asked for them is told how many it missed. A reader with nothing new waits on
 * a condition the writer signals, so a long poll costs no CPU and wakes as soon as a byte or the exit arrives.
 */
public final class OutputRing {

    private final byte[] ring;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private long end;
    private OptionalInt exitCode = OptionalInt.empty();
    private boolean finished;

    /** Keeps the newest {@code capacity} bytes. */
    public OutputRing(int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity must be positive, was " + capacity);
        }
        this.ring = new byte[capacity];
    }

    /**
     * What a read found: the text after the offset asked for, where to read next, how many bytes after that offset
     * were lost to the bound and how many were passed over (still there to read), and the exit if it came.
     */
    public record Chunk(String text, long next, long dropped, long skipped, OptionalInt exitCode, boolean finished) {
    }

    /** Appends {@code length} bytes of {@code buffer} from {@code offset}, waking every waiting reader. */
    public void write(byte[] buffer, int offset, int length) {
        lock.lock();
        try {
            // only the last ring.length bytes of a large write can survive it
            int skip = Math.max(0, length - ring.length);
            end += skip;
            for (int i = offset + skip; i < offset + length; i++) {
                ring[(int) (end % ring.length)] = buffer[i];
                end++;
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The output is complete: the process ended with {@code code}, or empty when it was ended without one. */
    public void finish(OptionalInt code) {
        lock.lock();
        try {
            exitCode = code;
            finished = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The bytes after {@code since} (at most {@code maxBytes}, cut at a character boundary), waiting up to
     * {@code waitNanos} for some to arrive or the output to end when there are none yet.
     *
     * @throws InterruptedException if the waiting thread is interrupted
     */
    public Chunk read(long since, long waitNanos, int maxBytes) throws InterruptedException {
        return read(since, waitNanos, maxBytes, false);
    }

    /**
     * As {@link #read(long, long, int)}, but when {@code untilFinished} it waits for the end of the output, not
     * for the first new byte, and shows the last {@code maxBytes} of what came (where a build prints its error),
     * saying how many before them it skipped.
     */
    public Chunk read(long since, long waitNanos, int maxBytes, boolean untilFinished) throws InterruptedException {
        lock.lock();
        try {
            long remaining = waitNanos;
            while ((untilFinished || since >= end) && !finished && remaining > 0) {
                remaining = changed.awaitNanos(remaining);
            }
            long start = Math.max(0, end - ring.length);
            long from = Math.clamp(since, start, end);
            long skipped = 0;
            if (untilFinished && end - from > maxBytes) {
                skipped = end - maxBytes - from;
                from = end - maxBytes;
            }
            long to = characterBoundary(from, Math.min(end, from + maxBytes));
            byte[] bytes = new byte[(int) (to - from)];
            for (long i = from; i < to; i++) {
                bytes[(int) (i - from)] = ring[(int) (i % ring.length)];
            }
            boolean all = to == end;
            return new Chunk(new String(bytes, StandardCharsets.UTF_8), to, Math.max(0, from - skipped - since),
                    skipped, all ? exitCode : OptionalInt.empty(), all && finished);
        } finally {
            lock.unlock();
        }
    }

    /** {@return whether the output has ended} */
    boolean isFinished() {
        lock.lock();
        try {
            return finished;
        } finally {
            lock.unlock();
        }
    }

    /** Waits up to {@code timeout} for the output to end; true if it did. */
    boolean awaitFinish(long timeout, TimeUnit unit) throws InterruptedException {
        lock.lock();
        try {
            long remaining = unit.toNanos(timeout);
            while (!finished && remaining > 0) {
                remaining = changed.awaitNanos(remaining);
            }
            return finished;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Backs {@code to} off a UTF-8 sequence the cut would split (the pump writes whatever the pipe gave, which may
     * end inside a character), unless the output is complete or that sequence is all there is to read.
     */
    private long characterBoundary(long from, long to) {
        if (finished && to == end) {
            return to;
        }
        for (long i = to; i > Math.max(from, to - 4); i--) {
            int b = ring[(int) ((i - 1) % ring.length)] & 0xFF;
            if (b < 0x80) {
                return to;
            }
            if (b >= 0xC0) {
                // a lead byte: the sequence starting at i - 1 needs this many bytes
                int length = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2;
                return i - 1 + length <= to ? to : i - 1 > from ? i - 1 : to;
            }
        }
        return to;
    }
}
