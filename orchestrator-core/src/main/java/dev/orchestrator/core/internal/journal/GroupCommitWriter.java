package dev.orchestrator.core.internal.journal;

import dev.orchestrator.core.internal.log.LazyLogger;
import dev.orchestrator.core.journal.JournalFailedException;
import dev.orchestrator.core.journal.SyncPolicy;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ClosedByInterruptException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Writes the log: appends from any thread queue up while a batch is written and forced; the next batch takes all of
 * them (up to {@value #MAX_BATCH_BYTES} bytes): one write, one force (under {@link SyncPolicy#everyBatch()} usually
 * both in one: a write through the segment's {@code O_DSYNC} descriptor), then their futures complete in order.
 *
 * <p>One thread at a time writes, the <em>leader</em>. Usually that is the log's own writer thread, which completes
 * the futures on a second thread, so that what runs on completion (the engine's listeners, waking the appenders)
 * never holds up the next write. But a thread that waits for its append's future ({@code join} or {@code get}) while
 * nobody writes and no other appender is expected back writes the queue itself (and forces it, if the sync policy
 * forces every batch) and completes the futures of its batch in place when nothing depends on them but waiting
 * threads: a lone appender then pays a write and a force and no hand-off to the writer and back, two thread
 * wake-ups that cost as much as a tenth of a force.
 *
 * <p>Before a forced batch the writer thread may wait a little for the appenders it just released to come back, as
 * otherwise batches fragment: the first few to return would make a small batch and a whole force of their own. It
 * waits only for as many appends as were in flight at the last batch, at most half as long as the last force took
 * (and at most {@value #MAX_LINGER_NANOS} ns), and never when it has no sign of other appenders. For the same reason
 * a waiting appender writes only when as many appends are queued.
 *
 * <p>It also keeps the {@link Manifest} close behind what was forced: at most {@link WalConfig#checkpointInterval()}
 * after a force, between batches or once appends stop, it writes a new one that vouches for everything forced.
 * Recovery then refuses to cut what the manifest vouches for; only what was forced since can be mistaken for a
 * torn write after a crash.
 */
final class GroupCommitWriter {

    static final int MAX_BATCH_BYTES = 1 << 20;
    private static final long MAX_LINGER_NANOS = 1_000_000;
    /**
     * How long a claimed lead waits for the appender to wait; then the writer thread writes the append itself. While
     * others lead, or just led, the writer thread looks this often, so that a stream of claims needs no signal.
     */
    static final long CLAIM_NANOS = 2_000_000;

    private static final System.Logger LOG = LazyLogger.of(GroupCommitWriter.class);

    private final JournalDirectory dir;
    private final AutoCloseable directoryLock;
    private final WalConfig config;
    private final boolean forceEveryBatch;
    private final long intervalNanos;
    private final Thread thread;
    private final ExecutorService completions; // one thread, so futures complete in the order batches are handed
    private final AtomicInteger handedOver = new AtomicInteger(); // batches given to completions, not completed yet
    private volatile Thread completionThread;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition work = lock.newCondition();
    private final ArrayDeque<Pending> queue = new ArrayDeque<>(); // guarded by lock
    private long lastSeq; // guarded by lock: the last sequence number handed out
    private boolean leading; // guarded by lock: a thread writes, and owns the fields below until it stops
    private volatile Thread leader;
    private boolean claimed; // guarded by lock: an append reserved the lead for the thread that will wait for it...
    private long claimedAt; // guarded by lock: ...at this System.nanoTime()
    private boolean waiting; // guarded by lock: the writer thread awaits work, so an append must signal...
    private int wakeAt = 1; // guarded by lock: ...once the queue holds this many...
    private boolean timed; // guarded by lock: ...or, when it awaits no timer or a later one...
    private long wakesAt; // guarded by lock: ...than this System.nanoTime(), a new claim or due timer
    private boolean timerSet; // guarded by lock: at the end of its lead, a leader left a checkpoint or force due...
    private long timerAt; // guarded by lock: ...at this System.nanoTime(), for the writer thread to lead then
    private long ledUntil; // guarded by lock: the System.nanoTime() at which the last lead ended
    private int inFlightAtLastBatch; // guarded by lock: the last batch and the appends queued behind it
    private boolean closing; // guarded by lock
    private JournalFailedException failure; // guarded by lock

    private volatile long completedSeq;

    // touched by the leader only
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
    private List<Pending> inFlight = List.of();

    /** An append, or with a {@code null} payload a request to force everything before it. */
    private record Pending(long seq, byte[] payload, Append done) {
    }

    /**
     * The future of an append: a thread that waits for it may write its batch itself (see the class comment).
     *
     * <p>A thread that waits with {@link #join} or {@link #get()} parks on this future itself, without a node on the
     * future's stack of dependents, and whoever completes it unparks that thread. So a batch whose appenders only
     * wait still has no dependents, and the leader completes it in place, a store and an unpark per append, instead
     * of handing it to the completion thread: at 64 appenders that hand-off was one more thread wake-up per batch
     * between the force and the appenders coming back. A second thread waiting for the same append waits as a
     * {@link CompletableFuture} does, as a dependent.
     *
     * <p>Waking is shared (see {@link #completeInPlace}): the leader completes the whole batch first and wakes only
     * the first waiter; each woken thread then wakes the waiters of two more appends of the batch, the appends of
     * a binary heap, before it returns. The appenders then come back on both carriers at once instead of one by one
     * as the leader, a platform thread, unparked each in turn: at 64 appenders, with a force made to take 100 µs on
     * tmpfs, the writer's wait for them fell from 70-120 µs to 3-60 µs a batch.
     */
    private final class Append extends CompletableFuture<Long> {

        private static final VarHandle WAITER;

        static {
            try {
                WAITER = MethodHandles.lookup().findVarHandle(Append.class, "waiter", Thread.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        @SuppressWarnings("unused") // through WAITER
        private volatile Thread waiter;
        // The appends whose waiters this one's waiter wakes, when its batch is completed in place. Volatile, as the
        // waiter may see this append done by a cancel rather than by the leader: it reads them after clearing
        // waiter, the leader writes them before reading waiter, so when the leader leaves the wake to the waiter,
        // the waiter sees them.
        private volatile Append wakesFirst;
        private volatile Append wakesSecond;

        @Override
        public Long join() {
            leadFor(this);
            if (!isDone() && WAITER.compareAndSet(this, null, Thread.currentThread())) {
                parkUntilDone(false);
            }
            return super.join();
        }

        @Override
        public Long get() throws InterruptedException, ExecutionException {
            leadFor(this);
            if (!isDone() && WAITER.compareAndSet(this, null, Thread.currentThread()) && parkUntilDone(true)) {
                throw new InterruptedException();
            }
            return super.get();
        }

        /** Completes it without waking its waiter: {@link #wakeShared} does, once the whole batch is complete. */
        void completeQuietly(long seq) {
            super.complete(seq);
        }

        /**
         * Wakes this append's waiter, who passes the wake on (see {@link #parkUntilDone}), or, with no thread parked
         * on it, passes it on in its place. A waiter that stops waiting just as this reads it passes it on too: a
         * wake may come twice, never not at all. (This reads {@code waiter} after the append completed, and a
         * waiter reads whether it completed after it cleared {@code waiter}: one of them sees the other's write. A
         * second wake is harmless: a parked thread checks what it waits for when it wakes.)
         */
        void wakeShared() {
            Thread parked = waiter;
            if (parked != null) {
                LockSupport.unpark(parked);
            } else {
                passWakeOn();
            }
        }

        private void passWakeOn() {
            if (wakesFirst != null) {
                wakesFirst.wakeShared();
            }
            if (wakesSecond != null) {
                wakesSecond.wakeShared();
            }
        }

        /**
         * Parks until done. An interrupt ends the wait if {@code interruptible} (and true is returned), else it is
         * held until the append is done, as {@code join} does.
         */
        private boolean parkUntilDone(boolean interruptible) {
            boolean interrupted = false;
            try {
                while (!isDone()) {
                    LockSupport.park(this);
                    if (Thread.interrupted()) { // cleared, else park would return at once, again and again
                        interrupted = true;
                        if (interruptible) {
                            return true;
                        }
                    }
                }
                return false;
            } finally {
                waiter = null;
                if (isDone()) {
                    passWakeOn();
                }
                if (interrupted && !interruptible) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        /**
         * Called for every dependent stage ({@code thenApply}, {@code whenComplete}, ...): whoever registers one
         * instead of waiting will not come to write a batch it claimed, so the writer thread writes it now rather
         * than after the claim times out ({@link #CLAIM_NANOS} later).
         */
        @Override
        public <U> CompletableFuture<U> newIncompleteFuture() {
            if (!isDone()) {
                releaseClaim();
            }
            return new CompletableFuture<>();
        }

        // Every way to complete it wakes the thread parked on it: the writer's, and a caller's cancel or timeout.

        @Override
        public boolean complete(Long value) {
            return wake(super.complete(value));
        }

        @Override
        public boolean completeExceptionally(Throwable ex) {
            return wake(super.completeExceptionally(ex));
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            return wake(super.cancel(mayInterruptIfRunning));
        }

        @Override
        public void obtrudeValue(Long value) {
            super.obtrudeValue(value);
            wake(true);
        }

        @Override
        public void obtrudeException(Throwable ex) {
            super.obtrudeException(ex);
            wake(true);
        }

        private boolean wake(boolean completed) {
            Thread parked = waiter; // read after completing: a waiter that set it after this read sees it done
            if (parked != null) {
                LockSupport.unpark(parked);
            }
            return completed;
        }
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
            t.setName(t.getName() + "-completions");
            completionThread = t;
            return t;
        });
        this.thread = config.threadFactory().newThread(this::run);
        thread.setName(thread.getName() + "-writer");
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
        Append done = new Append();
        lock.lock();
        try {
            if (failure != null) {
                done.completeExceptionally(failure);
            } else if (closing) {
                done.completeExceptionally(new IllegalStateException("the journal in " + dir.describe()
                        + " is closed: open it again to append"));
            } else {
                queue.add(new Pending(payload == null ? lastSeq : ++lastSeq, payload, done));
                if (!leading && !claimed && queue.size() >= expectedBack() && simpleBatch()) {
                    // Nobody writes and nobody else is expected: the thread that waits for this append may write it.
                    claimed = true;
                    claimedAt = System.nanoTime();
                    if (waiting && (!timed || wakesAt - (claimedAt + CLAIM_NANOS) > 0)) {
                        work.signal(); // to time the claim out if nobody waits for it
                    }
                } else if (waiting && !claimed && queue.size() >= wakeAt) {
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
        if (Thread.currentThread() == completionThread || Thread.currentThread() == leader) {
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

    /** Gives a claimed lead back to the writer thread at once; with the lock held or not. */
    private void releaseClaim() {
        lock.lock();
        try {
            if (claimed) {
                claimed = false;
                if (waiting) {
                    work.signal();
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Called by a thread about to wait for {@code waiter}: writes the queue on this thread if nobody writes and no
     * more appends are expected, as the writer thread would, without waking it and being woken by it.
     */
    private void leadFor(CompletableFuture<Long> waiter) {
        if (waiter.isDone() || Thread.currentThread() == completionThread) {
            return;
        }
        List<Pending> batch;
        lock.lock();
        try {
            if (leading || closing || failure != null || waiter.isDone()
                    || (!claimed && (queue.isEmpty() || queue.size() < expectedBack()))) {
                return;
            }
            if (!simpleBatch()) {
                // appends since the claim make a batch for the writer thread (a roll, say): let it go at once
                releaseClaim(); // the lock is reentrant
                return;
            }
            lead();
            batch = takeQueued();
        } finally {
            lock.unlock();
        }
        writeOwnBatch(batch);
    }

    /**
     * Whether the queue makes a batch that one write completes, in the open segment, and that leaves no force's
     * result in doubt but its own: what a waiting appender writes itself (see {@link #writeOwnBatch}), so what an
     * append may claim the lead for. Under {@link SyncPolicy#everyBatch()} that is a batch with nothing written
     * before it left unforced (its one force covers only itself); under the other policies a batch the leader writes
     * without a force (no interval force due, no {@link #forceAll} in it), which the writer thread forces when its
     * timer says so. The caller holds the lock and nobody leads, so the last leader's fields are settled.
     */
    private boolean simpleBatch() {
        if (forceEveryBatch ? unforced : intervalDue()) {
            return false;
        }
        long bytes = 0;
        for (Pending p : queue) {
            if (p.payload() == null && !forceEveryBatch) {
                return false; // a forceAll under a policy that would not force this batch: the writer thread's job
            }
            bytes += p.payload() == null ? 0 : RecordFrame.size(p.payload().length);
        }
        return bytes <= MAX_BATCH_BYTES && segment.end() + bytes <= config.segmentSize();
    }

    /**
     * Writes a simple batch on the thread of an appender that waits. An interrupt of that thread during a write or
     * a force closes the segment's channel (and may hide the force's result), so the thread holds its interrupt
     * until it is done, and if one comes during the I/O anyway, it reopens the segment, puts the batch back for the
     * writer thread (which nobody interrupts) to write again, with the same bytes from the same place, and waits.
     */
    private void writeOwnBatch(List<Pending> batch) {
        boolean interrupted = Thread.interrupted();
        try {
            if (!writeOrGiveBack(batch)) {
                interrupted = true;
            } else if (checkpointDueIn() <= 0) {
                checkpoint();
            }
        } catch (ClosedByInterruptException e) {
            // The checkpoint's new manifest was not renamed into place, or was and its directory's force was cut
            // short: either manifest vouches only for what was forced. The next checkpoint writes it again.
            interrupted = true;
            Thread.interrupted();
        } catch (IOException | RuntimeException e) {
            fail(e);
        } finally {
            stopLeading();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Writes, forces and completes the batch; false if an interrupt came and the batch was given back instead. */
    private boolean writeOrGiveBack(List<Pending> batch) throws IOException {
        ActiveSegment.Mark mark = segment.mark();
        long seq = writtenSeq;
        boolean wasAfterSync = afterSync;
        try {
            inFlight = batch;
            write(batch);
            if (unforced && forceEveryBatch) {
                force();
            }
            complete(batch);
            return true;
        } catch (ClosedByInterruptException e) {
            Thread.interrupted(); // reopening must not be interrupted too
            buffer.clear();
            try {
                segment.reopenAt(dir, mark);
            } catch (IOException | RuntimeException reopening) {
                reopening.addSuppressed(e);
                throw reopening;
            }
            writtenSeq = seq;
            afterSync = wasAfterSync;
            unforced = false;
            inFlight = List.of();
            giveBack(batch);
            return false;
        }
    }

    /** Puts a batch that was not written back at the head of the queue, in order. */
    private void giveBack(List<Pending> batch) {
        lock.lock();
        try {
            for (Pending p : batch.reversed()) {
                queue.addFirst(p);
            }
        } finally {
            lock.unlock();
        }
    }

    private void run() {
        try {
            for (List<Pending> batch = take(); batch != null; batch = take()) {
                writeBatch(batch);
            }
            if (failed()) {
                return;
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

    /** Writes, forces (if the policy says so) and completes {@code batch}, then stops leading. */
    private void writeBatch(List<Pending> batch) {
        try {
            inFlight = batch;
            boolean barrier = write(batch);
            if (unforced && (barrier || forceEveryBatch || intervalDue())) {
                force();
            }
            complete(batch);
            if (checkpointDueIn() <= 0) {
                checkpoint();
            }
        } catch (IOException | RuntimeException e) {
            fail(e);
        } finally {
            stopLeading();
        }
    }

    /** Takes the lead (and a claim on it, if any); the caller holds the lock. */
    private void lead() {
        leading = true;
        claimed = false;
        leader = Thread.currentThread();
    }

    private void stopLeading() {
        // read while still leading: the fields are the leader's
        long due = Math.min(checkpointDueIn(), unforced && intervalNanos > 0
                ? intervalNanos - (config.nanoClock().getAsLong() - lastForceNanos)
                : Long.MAX_VALUE);
        lock.lock();
        try {
            leading = false;
            leader = null;
            ledUntil = System.nanoTime();
            timerSet = due != Long.MAX_VALUE;
            timerAt = ledUntil + Math.max(due, 0);
            if (waiting && (!queue.isEmpty() || closing || failure != null
                    || (timerSet && (!timed || wakesAt - timerAt > 0)))) {
                work.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    private boolean failed() {
        lock.lock();
        try {
            return failure != null;
        } finally {
            lock.unlock();
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

    /**
     * For the writer thread: leads, and gives the next batch; empty when an interval force or a checkpoint is due;
     * null, leading for good, once closing with nothing left or failed. It waits while another thread leads, and
     * while a claim on the lead is younger than {@link #CLAIM_NANOS}.
     */
    private List<Pending> take() {
        lock.lock();
        try {
            while (true) {
                long now = System.nanoTime();
                long wait;
                if (leading) {
                    // look again now and then: a claim made meanwhile may be left for this thread to time out
                    wait = CLAIM_NANOS;
                } else if (claimed && !closing && claimedAt + CLAIM_NANOS - now > 0) {
                    wait = claimedAt + CLAIM_NANOS - now;
                } else if (!queue.isEmpty()) {
                    break;
                } else if (failure != null || closing) {
                    lead(); // for good: nobody else may touch the segment the writer now closes
                    return null;
                } else if (timerSet && timerAt - now <= 0) {
                    lead();
                    return List.of();
                } else {
                    wait = timerSet ? timerAt - now : Long.MAX_VALUE;
                    if (now - ledUntil < CLAIM_NANOS) {
                        wait = Math.min(wait, CLAIM_NANOS); // more appends are likely: time their claims unasked
                    }
                }
                waiting = true;
                timed = wait != Long.MAX_VALUE;
                wakesAt = now + wait;
                try {
                    if (timed) {
                        work.awaitNanos(wait);
                    } else {
                        work.awaitUninterruptibly();
                    }
                } catch (InterruptedException e) {
                    // Only close() stops the writer: it owns files that must be forced and closed first.
                } finally {
                    waiting = false;
                    timed = false;
                }
            }
            lead(); // also when an append claimed the lead and nobody came to wait for it
            lingerForReturningAppenders();
            return takeQueued();
        } finally {
            lock.unlock();
        }
    }

    /** How many appends the last batch suggests will be queued soon; the caller holds the lock. */
    private int expectedBack() {
        return Math.min(inFlightAtLastBatch, MAX_BATCH_BYTES / RecordFrame.size(1));
    }

    /** The queued appends, up to {@value #MAX_BATCH_BYTES} bytes of them; the caller holds the lock. */
    private List<Pending> takeQueued() {
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
    }

    /** Waits (holding the lock, which the wait releases) for the appenders of the last batch to come back. */
    private void lingerForReturningAppenders() {
        int expected = expectedBack();
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

    /**
     * Frames and writes the batch; true if it asks for a force. Under {@link SyncPolicy#everyBatch()} a batch that
     * one write takes, with nothing unforced before it, is written durably (O_DSYNC): that write is its force.
     */
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
        if (forceEveryBatch && !unforced && buffer.position() > 0) {
            // the whole batch is in the buffer, and nothing before it is unforced: one durable write is its force
            long start = System.nanoTime();
            segment.writeDurably(buffer.flip());
            buffer.clear();
            forced(start);
        } else {
            flush();
        }
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
        forced(start);
    }

    /** Notes that everything written is durable, by a force or a durable write that began at {@code start}. */
    private void forced(long start) {
        lastForceDuration = System.nanoTime() - start;
        forcedSeq = writtenSeq; // everything written was flushed to the segment before a force
        forcedEnd = segment.end();
        unforced = false;
        afterSync = true;
        lastForceNanos = config.nanoClock().getAsLong();
    }

    /**
     * Completes the batch's futures, in place when nothing depends on them yet and every earlier batch has been
     * completed (completing one is then a store, and waking nobody), else on the completion thread.
     */
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
        inFlight = List.of();
        if (handedOver.get() == 0 && noDependents(batch)) {
            completeInPlace(batch);
            return;
        }
        handedOver.incrementAndGet();
        completions.execute(() -> {
            try {
                completeAll(batch);
            } finally {
                handedOver.decrementAndGet();
            }
        });
    }

    private static boolean noDependents(List<Pending> batch) {
        for (Pending p : batch) {
            if (p.done().getNumberOfDependents() != 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Completes the batch, then wakes its waiters as a tree: the first one, which wakes the next two, and so on
     * (see {@link Append}). Appends {@code 2i + 1} and {@code 2i + 2} are woken by append {@code i}.
     */
    private static void completeInPlace(List<Pending> batch) {
        int n = batch.size();
        for (int i = 0; i < n; i++) {
            Append a = batch.get(i).done();
            a.wakesFirst = 2 * i + 1 < n ? batch.get(2 * i + 1).done() : null;
            a.wakesSecond = 2 * i + 2 < n ? batch.get(2 * i + 2).done() : null;
        }
        for (Pending p : batch) {
            p.done().completeQuietly(p.seq());
        }
        if (n > 0) {
            batch.getFirst().done().wakeShared();
        }
    }

    private static void completeAll(List<Pending> batch) {
        for (Pending p : batch) {
            p.done().complete(p.seq());
        }
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
