package dev.orchestrator.core.internal.journal;

import dev.orchestrator.core.journal.JournalFailedException;
import dev.orchestrator.core.journal.SyncPolicy;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The one thread that writes the log. Appends from any thread queue up while it writes and forces the previous
 * batch; it then takes all of them (up to {@value #MAX_BATCH_BYTES} bytes) as the next batch: one write, one
 * force, then their futures complete in order, on a second thread: what runs on completion (the engine's listeners,
 * waking the appenders) then never holds up the next write.
 *
 * <p>Before a forced batch it may wait a little for the appenders it just released to come back, as otherwise
 * batches fragment: the first few to return would make a small batch and a whole force of their own. It waits only
 * for as many appends as were in flight at the last batch, at most half as long as the last force took (and at most
 * {@value #MAX_LINGER_NANOS} ns), and never when it has no sign of other appenders: a lone append costs one write
 * and one force and nothing more.
 *
 * <p>It also keeps the {@link Manifest} close behind what was forced: at most {@link WalConfig#checkpointInterval()}
 * after a force, between batches or once appends stop, it writes a new one that vouches for everything forced.
 * Recovery then refuses to cut what the manifest vouches for; only what was forced since can be mistaken for a
 * torn write after a crash.
 */
final class GroupCommitWriter {

    static final int MAX_BATCH_BYTES = 1 << 20;
    private static final long MAX_LINGER_NANOS = 1_000_000;

    private static final System.Logger LOG = System.getLogger(GroupCommitWriter.class.getName());

    private final JournalDirectory dir;
    private final AutoCloseable directoryLock;
    private final WalConfig config;
    private final boolean forceEveryBatch;
    private final long intervalNanos;
    private final Thread thread;
    private final ExecutorService completions; // one thread, so futures complete in the order batches are handed
    private volatile Thread completionThread;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition work = lock.newCondition();
    private final ArrayDeque<Pending> queue = new ArrayDeque<>(); // guarded by lock
    private long lastSeq; // guarded by lock: the last sequence number handed out
    private boolean waiting; // guarded by lock: the writer awaits work, so an append must signal...
    private int wakeAt = 1; // guarded by lock: ...once the queue holds this many
    private boolean closing; // guarded by lock
    private JournalFailedException failure; // guarded by lock

    private volatile long completedSeq;

    // touched by the writer thread only
    // A heap buffer: the channel copies it into a direct one per write (microseconds, beside a millisecond force),
    // and a direct buffer per journal would hold native memory until a garbage collection frees it.
    private final ByteBuffer buffer = ByteBuffer.allocate(MAX_BATCH_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    private ActiveSegment segment;
    private long writtenSeq; // the last sequence number written to the segment
    private long forcedSeq; // the last sequence number the last force covered...
    private long forcedEnd; // ...and the end of the segment then
    private long checkpointedSeq; // what the manifest vouches for
    private long lastCheckpointNanos;
    private boolean unforced;
    private boolean afterSync = true;
    private long lastForceNanos;
    private long lastForceDuration;
    private int inFlightAtLastBatch; // the batch just done and the appends queued behind it: all may come back
    private List<Pending> inFlight = List.of();

    /** An append, or with a {@code null} payload a request to force everything before it. */
    private record Pending(long seq, byte[] payload, CompletableFuture<Long> done) {
    }

    /**
     * Starts the writer on {@code segment}, whose records must all be durable, continuing after {@code lastSeq}.
     * It owns the segment and {@code directoryLock} from now on, and releases both when it stops.
     */
    GroupCommitWriter(JournalDirectory dir, AutoCloseable directoryLock, WalConfig config, ActiveSegment segment,
            long lastSeq) {
        this.dir = dir;
        this.directoryLock = directoryLock;
        this.config = config;
        this.forceEveryBatch = config.syncPolicy() instanceof SyncPolicy.EveryBatch;
        this.intervalNanos = config.syncPolicy() instanceof SyncPolicy.Interval(var interval) ? interval.toNanos() : 0;
        this.segment = segment;
        this.lastSeq = lastSeq;
        this.writtenSeq = lastSeq;
        this.forcedSeq = lastSeq;
        this.forcedEnd = segment.end();
        this.checkpointedSeq = lastSeq; // the log wrote the manifest when it opened
        this.completedSeq = lastSeq;
        this.lastForceNanos = config.nanoClock().getAsLong();
        this.lastCheckpointNanos = lastForceNanos;
        this.completions = Executors.newSingleThreadExecutor(r -> {
            Thread t = config.threadFactory().newThread(r);
            completionThread = t;
            return t;
        });
        this.thread = config.threadFactory().newThread(this::run);
        thread.start();
    }

    /** Queues {@code payload} as the next record; the future completes with its sequence number. */
    CompletableFuture<Long> append(byte[] payload) {
        return enqueue(payload);
    }

    /** Forces everything appended so far; the future completes with the last sequence number it covers. */
    CompletableFuture<Long> forceAll() {
        return enqueue(null);
    }

    /** The sequence number of the last record written (and forced, if the policy says so) for a future to complete. */
    long completedSeq() {
        return completedSeq;
    }

    private CompletableFuture<Long> enqueue(byte[] payload) {
        CompletableFuture<Long> done = new CompletableFuture<>();
        lock.lock();
        try {
            if (failure != null) {
                done.completeExceptionally(failure);
            } else if (closing) {
                done.completeExceptionally(new IllegalStateException("the journal in " + dir.describe()
                        + " is closed: open it again to append"));
            } else {
                queue.add(new Pending(payload == null ? lastSeq : ++lastSeq, payload, done));
                if (waiting && queue.size() >= wakeAt) {
                    work.signal();
                }
            }
        } finally {
            lock.unlock();
        }
        return done;
    }

    /** Writes what is queued, forces it, completes every future and stops both threads. Idempotent. */
    void close() {
        lock.lock();
        try {
            closing = true;
            work.signal();
        } finally {
            lock.unlock();
        }
        if (Thread.currentThread() == completionThread) {
            return; // closed from a completion callback: both threads end once the queue is written and completed
        }
        boolean interrupted = false;
        while (true) {
            try {
                thread.join(); // the writer shuts the completions down when it ends...
                Thread completing = completionThread;
                if (completing != null) {
                    completing.join(); // ...and their thread ends once it has completed what it was handed
                }
                break;
            } catch (InterruptedException e) {
                interrupted = true; // finish closing: the files must not be left to a thread nobody waits for
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        try {
            for (List<Pending> batch = take(); batch != null; batch = take()) {
                inFlight = batch;
                boolean barrier = write(batch);
                if (unforced && (barrier || forceEveryBatch || intervalDue())) {
                    force();
                }
                complete(batch);
                if (checkpointDueIn() <= 0) {
                    checkpoint();
                }
            }
            if (segment.trim() || unforced) {
                force();
            }
            // Only after a clean end: from now on any damage to what was written is refused, never cut as torn.
            new Manifest(segment.firstSeq(), writtenSeq, segment.end(), true).write(dir);
        } catch (IOException | RuntimeException e) {
            fail(e);
        } finally {
            closeSegment();
            releaseDirectory(); // last: another journal may open the directory from now on
            completions.shutdown(); // what was handed over still completes
        }
    }

    /** Nanoseconds until the manifest should vouch for what was forced since it last did; MAX_VALUE if never. */
    private long checkpointDueIn() {
        if (forcedSeq == checkpointedSeq) {
            return Long.MAX_VALUE;
        }
        return config.checkpointInterval().toNanos() - (config.nanoClock().getAsLong() - lastCheckpointNanos);
    }

    private void checkpoint() throws IOException {
        new Manifest(segment.firstSeq(), forcedSeq, forcedEnd, false).write(dir);
        checkpointed(forcedSeq);
    }

    private void checkpointed(long seq) {
        checkpointedSeq = seq;
        lastCheckpointNanos = config.nanoClock().getAsLong();
    }

    private boolean intervalDue() {
        return intervalNanos > 0 && config.nanoClock().getAsLong() - lastForceNanos >= intervalNanos;
    }

    /** The next batch; empty when an interval force or a checkpoint is due; null once closing with nothing left. */
    private List<Pending> take() {
        lock.lock();
        try {
            while (queue.isEmpty()) {
                if (closing) {
                    return null;
                }
                long wait = Math.min(checkpointDueIn(), unforced && intervalNanos > 0
                        ? intervalNanos - (config.nanoClock().getAsLong() - lastForceNanos)
                        : Long.MAX_VALUE);
                if (wait <= 0) {
                    return List.of();
                }
                waiting = true;
                try {
                    if (wait == Long.MAX_VALUE) {
                        work.awaitUninterruptibly();
                    } else {
                        work.awaitNanos(wait);
                    }
                } catch (InterruptedException e) {
                    // Only close() stops the writer: it owns files that must be forced and closed first.
                } finally {
                    waiting = false;
                }
            }
            lingerForReturningAppenders();
            List<Pending> batch = new ArrayList<>(queue.size());
            long bytes = 0;
            while (!queue.isEmpty()) {
                Pending next = queue.peek();
                long size = next.payload() == null ? 0 : RecordFrame.size(next.payload().length);
                if (!batch.isEmpty() && bytes + size > MAX_BATCH_BYTES) {
                    break;
                }
                batch.add(queue.poll());
                bytes += size;
            }
            return batch;
        } finally {
            lock.unlock();
        }
    }

    /** Waits (holding the lock, which the wait releases) for the appenders of the last batch to come back. */
    private void lingerForReturningAppenders() {
        int expected = Math.min(inFlightAtLastBatch, MAX_BATCH_BYTES / RecordFrame.size(1));
        if (!forceEveryBatch || queue.size() >= expected || closing) {
            return;
        }
        // Measured in real time, not by the injected clock: it bounds a wait for threads, not a policy.
        long left = Math.min(lastForceDuration / 2, MAX_LINGER_NANOS);
        wakeAt = expected;
        waiting = true;
        try {
            while (queue.size() < expected && left > 0 && !closing) {
                left = work.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            // Only close() stops the writer; an interrupt just ends the wait.
        } finally {
            waiting = false;
            wakeAt = 1;
        }
    }

    /** Frames and writes the batch; true if it asks for a force. */
    private boolean write(List<Pending> batch) throws IOException {
        boolean barrier = false;
        for (Pending p : batch) {
            if (p.payload() == null) {
                barrier = true;
                continue;
            }
            int size = RecordFrame.size(p.payload().length);
            if (!segment.fits(buffer.position(), size, p.payload().length)) {
                flush();
                roll(p.seq());
            }
            if (buffer.remaining() < size) {
                flush();
            }
            ByteBuffer into = size <= buffer.capacity() ? buffer : ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
            RecordFrame.encode(into, segment.salt(), RecordFrame.TYPE_EVENT_JSON,
                    afterSync ? RecordFrame.FLAG_AFTER_SYNC : 0, p.seq(), p.payload());
            afterSync = false;
            writtenSeq = p.seq();
            if (into != buffer) {
                segment.write(into.flip());
                unforced = true;
            }
        }
        flush();
        return barrier;
    }

    private void flush() throws IOException {
        if (buffer.position() > 0) {
            segment.write(buffer.flip());
            buffer.clear();
            unforced = true;
        }
    }

    /**
     * Closes the full segment and starts the next. The full one is cut to its last record and forced first even
     * without a sync policy that asks for it: recovery relies on every segment but the last being complete. The
     * manifest then names the new one, so that its loss is detected; the records before it are durable, which the
     * manifest says too.
     */
    private void roll(long nextSeq) throws IOException {
        if (segment.trim() || unforced) {
            force();
        }
        ActiveSegment full = segment;
        segment = null;
        full.close();
        segment = ActiveSegment.create(dir, nextSeq, config);
        new Manifest(nextSeq, nextSeq - 1, SegmentHeader.SIZE, false).write(dir);
        forcedEnd = SegmentHeader.SIZE;
        checkpointed(nextSeq - 1);
        afterSync = true;
    }

    private void force() throws IOException {
        long start = System.nanoTime();
        segment.force();
        lastForceDuration = System.nanoTime() - start;
        forcedSeq = writtenSeq; // everything written was flushed to the segment before a force
        forcedEnd = segment.end();
        unforced = false;
        afterSync = true;
        lastForceNanos = config.nanoClock().getAsLong();
    }

    private void complete(List<Pending> batch) {
        lock.lock();
        try {
            inFlightAtLastBatch = batch.size() + queue.size(); // before completing: none of the batch is back yet
        } finally {
            lock.unlock();
        }
        if (!batch.isEmpty()) {
            completedSeq = batch.getLast().seq();
        }
        completions.execute(() -> {
            for (Pending p : batch) {
                p.done().complete(p.seq());
            }
        });
        inFlight = List.of();
    }

    /** A failed write or force stops the log for good: see {@link JournalFailedException} for why. */
    private void fail(Exception cause) {
        JournalFailedException failed = new JournalFailedException("journal in " + dir.describe()
                + " stopped: writing or forcing segment " + (segment == null ? "(none)" : segment.name())
                + " failed: " + cause + ". It will not retry, as after a failed fsync the operating system may have "
                + "dropped the pages it failed to write. Appends that had not completed are not durable. Fix the "
                + "cause (disk full? device error?), then close the journal and open it again", cause);
        List<Pending> rest;
        lock.lock();
        try {
            failure = failed;
            rest = new ArrayList<>(queue);
            queue.clear();
        } finally {
            lock.unlock();
        }
        LOG.log(Level.ERROR, failed.getMessage(), cause);
        List<Pending> failing = inFlight;
        completions.execute(() -> { // after the batches that did succeed, to keep completions in order
            for (Pending p : failing) {
                p.done().completeExceptionally(failed);
            }
            for (Pending p : rest) {
                p.done().completeExceptionally(failed);
            }
        });
    }

    private void releaseDirectory() {
        try {
            directoryLock.close();
        } catch (Exception e) {
            LOG.log(Level.WARNING, "releasing the lock on the journal in " + dir.describe() + " failed", e);
        }
    }

    private void closeSegment() {
        if (segment == null) {
            return;
        }
        try {
            segment.close();
        } catch (IOException e) {
            // Everything written was forced or failed before this point, so only the handle is at stake.
            LOG.log(Level.WARNING, "closing journal segment " + segment.name() + " in " + dir.describe()
                    + " failed", e);
        }
    }
}
