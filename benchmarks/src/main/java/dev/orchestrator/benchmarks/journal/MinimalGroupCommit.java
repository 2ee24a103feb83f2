package dev.orchestrator.benchmarks.journal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The simplest correct closed-loop group commit: appenders queue a record and park until it is durable; one platform
 * thread drains the queue into one buffer, writes it with one {@code O_DSYNC} write and unparks the batch's
 * appenders. No encoding, framing, manifest or futures: what any closed-loop group commit pays on this machine beside
 * the write itself (the wake-ups and the appenders' turnaround), so a ceiling the journal can be held to. With
 * {@code gather} above one the writer waits (up to {@value #MAX_GATHER_NANOS} ns) until that many records are queued
 * before it writes: told how many appenders there are, it never writes a fragment of their batch, which the journal
 * can only estimate. A benchmark, not a log: it writes round and round a preallocated file.
 */
final class MinimalGroupCommit implements AutoCloseable {

    private static final long MAX_GATHER_NANOS = 1_000_000;

    private static final class Waiter {
        final Thread thread = Thread.currentThread();
        final byte[] record;
        volatile boolean durable;

        Waiter(byte[] record) {
            this.record = record;
        }
    }

    private final ConcurrentLinkedQueue<Waiter> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger(); // counted after queueing, uncounted after taking
    private final FileChannel dsync;
    private final long fileSize;
    private final ByteBuffer buffer;
    private final int gather;
    private final Thread writer = Thread.ofPlatform().daemon(true).name("minimal-group-commit").unstarted(this::run);
    private volatile boolean writerParked; // set before the writer looks at the count a last time and parks
    private volatile boolean closed;
    private volatile IOException failure;

    /**
     * Writes over the first {@code fileSize} bytes of {@code dsync}, a channel opened with O_DSYNC, in batches of at
     * most {@code maxBatchBytes}, each once {@code gather} records are queued or a millisecond after the last write.
     */
    MinimalGroupCommit(FileChannel dsync, long fileSize, int maxBatchBytes, int gather) {
        this.dsync = dsync;
        this.fileSize = fileSize;
        this.buffer = ByteBuffer.allocateDirect(maxBatchBytes);
        this.gather = gather;
        writer.start();
    }

    /** Returns once {@code record} is durable. */
    void append(byte[] record) {
        Waiter w = new Waiter(record);
        queue.add(w);
        int n = queued.incrementAndGet();
        // read after counting: a writer that parks after this read has seen the count
        if ((n == 1 || n >= gather) && writerParked) {
            LockSupport.unpark(writer);
        }
        while (!w.durable && failure == null) {
            LockSupport.park(this);
        }
        if (!w.durable) {
            throw new UncheckedIOException(failure);
        }
    }

    private void run() {
        List<Waiter> batch = new ArrayList<>();
        long position = 0;
        try {
            while (!closed) {
                writerParked = true;
                long deadline = System.nanoTime() + MAX_GATHER_NANOS;
                for (int n; (n = queued.get()) < gather && !closed; ) {
                    if (n == 0) {
                        LockSupport.park(this);
                    } else if (deadline - System.nanoTime() > 0) {
                        LockSupport.parkNanos(this, deadline - System.nanoTime());
                    } else {
                        break;
                    }
                }
                writerParked = false;
                for (Waiter w; (w = queue.peek()) != null && w.record.length <= buffer.remaining(); ) {
                    batch.add(queue.poll());
                    queued.decrementAndGet();
                    buffer.put(w.record);
                }
                if (batch.isEmpty()) {
                    continue; // closed
                }
                buffer.flip();
                if (position + buffer.remaining() > fileSize) {
                    position = 0;
                }
                while (buffer.hasRemaining()) {
                    position += dsync.write(buffer, position);
                }
                buffer.clear();
                for (Waiter w : batch) {
                    w.durable = true;
                    LockSupport.unpark(w.thread);
                }
                batch.clear();
            }
        } catch (IOException e) {
            failure = e;
            batch.forEach(w -> LockSupport.unpark(w.thread));
            queue.forEach(w -> LockSupport.unpark(w.thread));
        }
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        LockSupport.unpark(writer);
        writer.join();
    }
}
