package dev.orchestrator.core.internal.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.core.journal.JournalFailedException;
import dev.orchestrator.core.journal.SyncPolicy;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class GroupCommitTest {

    @Test
    void concurrentAppendsKeepSeqOrderAndEachCompletesOnlyAfterItsBatchWasForced() throws Exception {
        int threads = 16;
        int perThread = 150;
        SimulatedDirectory dir = new SimulatedDirectory();
        AtomicLong durableSeq = new AtomicLong();
        dir.afterFileForce((name, durable) -> {
            if (name.endsWith(FileNames.SEGMENT)) {
                durableSeq.accumulateAndGet(lastSeq(durable), Math::max);
            }
        });
        List<String> violations = Collections.synchronizedList(new ArrayList<>());
        Map<Long, String> bySeq = new ConcurrentHashMap<>();
        CountDownLatch start = new CountDownLatch(1);

        try (WriteAheadLog log = WriteAheadLog.open(dir, Logs.config(16 * 1024, SyncPolicy.everyBatch()))) {
            List<Thread> appenders = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                appenders.add(Thread.ofPlatform().start(() -> {
                    awaitUninterruptibly(start);
                    long previous = 0;
                    List<CompletableFuture<Long>> mine = new ArrayList<>();
                    for (int i = 0; i < perThread; i++) {
                        String payload = "{\"thread\":" + thread + ",\"i\":" + i + "}";
                        mine.add(log.append(Logs.utf8(payload)).thenApply(seq -> {
                            if (seq > durableSeq.get()) {
                                violations.add("seq " + seq + " completed before it was forced");
                            }
                            bySeq.put(seq, payload);
                            return seq;
                        }));
                        if (i % 10 == 9) {
                            mine.getLast().join(); // vary the batches: sometimes wait, sometimes run ahead
                        }
                    }
                    for (CompletableFuture<Long> f : mine) {
                        long seq = f.join();
                        if (seq <= previous) {
                            violations.add("thread " + thread + " got seq " + seq + " after " + previous);
                        }
                        previous = seq;
                    }
                }));
            }
            start.countDown();
            for (Thread t : appenders) {
                t.join();
            }
            assertEquals(List.of(), violations);
            int total = threads * perThread;
            assertEquals(total, bySeq.size());
            assertEquals(total, Collections.max(bySeq.keySet()));
            assertTrue(dir.fileForces() < total, "appends were batched: " + dir.fileForces() + " forces");

            List<String> replayed = Logs.replay(log);
            for (long seq = 1; seq <= total; seq++) {
                assertEquals(bySeq.get(seq), replayed.get((int) seq - 1));
            }
        }
        assertEquals(0, dir.openFiles());
    }

    @Test
    void futuresCompleteInSeqOrder() throws Exception {
        SimulatedDirectory dir = new SimulatedDirectory();
        CountDownLatch release = new CountDownLatch(1);
        try (WriteAheadLog log = WriteAheadLog.open(dir, Logs.config())) {
            CompletableFuture<Long> first = appendHeld(dir, log, "{\"first\":true}", release);
            List<CompletableFuture<Long>> queued = new ArrayList<>();
            List<Long> completionOrder = Collections.synchronizedList(new ArrayList<>());
            for (int i = 0; i < 200; i++) {
                // Registered before the writer can complete any of them, so each callback runs at completion.
                queued.add(log.append(Logs.utf8("{\"i\":" + i + "}")).whenComplete((seq, e) -> completionOrder.add(seq)));
            }
            release.countDown();
            first.join();
            CompletableFuture.allOf(queued.toArray(CompletableFuture[]::new)).join();
            List<Long> sorted = new ArrayList<>(completionOrder);
            Collections.sort(sorted);
            assertEquals(sorted, completionOrder);
            assertEquals(200, sorted.size());
        }
    }

    /** The highest seq among the whole records of a segment's durable bytes. */
    private static long lastSeq(byte[] segment) {
        ByteBuffer buf = ByteBuffer.wrap(segment).order(ByteOrder.LITTLE_ENDIAN);
        SegmentHeader header = SegmentHeader.decode(buf).orElseThrow();
        long last = header.firstSeq() - 1;
        int offset = SegmentHeader.SIZE;
        while (RecordFrame.read(buf, offset, header.salt(), header.maxRecordSize()) instanceof RecordFrame.Frame.Valid v) {
            last = v.seq();
            offset = v.next();
        }
        return last;
    }

    @Test
    void aLoneAppenderThatWaitsWritesAndForcesItsAppendOnItsOwnThread() {
        SimulatedDirectory dir = new SimulatedDirectory();
        List<Thread> forcing = Collections.synchronizedList(new ArrayList<>());
        try (WriteAheadLog log = WriteAheadLog.open(dir, Logs.config())) {
            dir.afterFileForce((name, bytes) -> forcing.add(Thread.currentThread()));
            // The writer thread takes a claimed lead over if the appender has not come to wait within a
            // millisecond, which a loaded machine may make it miss now and then; not a hundred times.
            for (String p : Logs.payloads(100)) {
                log.append(Logs.utf8(p)).join();
            }
            assertTrue(forcing.contains(Thread.currentThread()), "forced on " + new java.util.HashSet<>(forcing));
            assertEquals(Logs.payloads(100), Logs.replay(log));
        }
    }

    @Test
    void aLoneAppenderThatWaitsWritesItsAppendOnItsOwnThreadUnderEveryPolicy() {
        for (SyncPolicy policy : List.of(SyncPolicy.everyBatch(), SyncPolicy.none(),
                SyncPolicy.interval(Duration.ofHours(1)))) {
            SimulatedDirectory dir = new SimulatedDirectory();
            List<Thread> writing = Collections.synchronizedList(new ArrayList<>());
            try (WriteAheadLog log = WriteAheadLog.open(dir, Logs.config(1 << 20, policy))) {
                dir.beforeEachOperation(() -> writing.add(Thread.currentThread()));
                // as above: the writer thread may take a claimed lead over now and then, not a hundred times
                for (String p : Logs.payloads(100)) {
                    log.append(Logs.utf8(p)).join();
                }
                dir.beforeEachOperation(() -> { });
                assertTrue(writing.contains(Thread.currentThread()), policy + ": written on "
                        + new java.util.HashSet<>(writing));
                assertEquals(Logs.payloads(100), Logs.replay(log), policy.toString());
            }
        }
    }

    @Test
    void anAppendNobodyWaitsForIsWrittenByTheWriterThread() throws Exception {
        SimulatedDirectory dir = new SimulatedDirectory();
        List<Thread> forcing = Collections.synchronizedList(new ArrayList<>());
        try (WriteAheadLog log = WriteAheadLog.open(dir, Logs.config())) {
            dir.afterFileForce((name, bytes) -> forcing.add(Thread.currentThread()));
            CountDownLatch durable = new CountDownLatch(1);
            log.append(Logs.utf8("{\"unwatched\":true}")).whenComplete((seq, e) -> durable.countDown());
            // not join(): this thread never offers to write, so the writer thread must take the claimed lead over
            assertTrue(durable.await(30, java.util.concurrent.TimeUnit.SECONDS), "never written");
            assertTrue(!forcing.isEmpty() && !forcing.contains(Thread.currentThread()), forcing.toString());
        }
    }

    @Test
    void aFailedForceStopsTheLogForGood() {
        SimulatedDirectory dir = new SimulatedDirectory();
        WriteAheadLog log = WriteAheadLog.open(dir, Logs.config());
        assertEquals(1, log.append(Logs.utf8("{\"ok\":1}")).join());
        dir.failFileForcesFrom(1);

        CompletionException failed = assertThrows(CompletionException.class,
                () -> log.append(Logs.utf8("{\"lost\":2}")).join());
        JournalFailedException cause = assertInstanceOf(JournalFailedException.class, failed.getCause());
        assertTrue(cause.getMessage().contains("will not retry"), cause.getMessage());
        int forcesAfterFailure = dir.fileForces();

        CompletionException later = assertThrows(CompletionException.class,
                () -> log.append(Logs.utf8("{\"refused\":3}")).join());
        assertSame(cause, later.getCause());
        log.close();
        assertEquals(forcesAfterFailure, dir.fileForces(), "the failed force is never retried");
        assertEquals(0, dir.openFiles());
    }

    @Test
    void theIntervalPolicyForcesOnceTheIntervalHasPassed() {
        SimulatedDirectory dir = new SimulatedDirectory();
        AtomicLong nanos = new AtomicLong();
        WalConfig config = new WalConfig(1 << 20, 1024, SyncPolicy.interval(Duration.ofSeconds(1)), nanos::get,
                Thread.ofPlatform().daemon(true).factory(), Logs.NO_CHECKPOINTS);
        try (WriteAheadLog log = WriteAheadLog.open(dir, config)) {
            int forcesAtOpen = dir.fileForces();
            Logs.appendEach(log, Logs.payloads(5));
            assertEquals(forcesAtOpen, dir.fileForces(), "no force before the interval passed");

            nanos.addAndGet(Duration.ofSeconds(1).toNanos());
            log.append(Logs.utf8("{\"late\":true}")).join();
            assertEquals(forcesAtOpen + 1, dir.fileForces(), "one force once it passed");
        }
    }

    @Test
    void theIntervalPolicyForcesAnIdleLogOnceTheIntervalHasPassed() throws InterruptedException {
        SimulatedDirectory dir = new SimulatedDirectory();
        CountDownLatch forced = new CountDownLatch(1);
        AtomicLong nanos = new AtomicLong();
        WalConfig config = new WalConfig(1 << 20, 1024, SyncPolicy.interval(Duration.ofMillis(20)), nanos::get,
                Thread.ofPlatform().daemon(true).factory(), Logs.NO_CHECKPOINTS);
        try (WriteAheadLog log = WriteAheadLog.open(dir, config)) {
            dir.afterFileForce((name, bytes) -> forced.countDown());
            log.append(Logs.utf8("{\"alone\":true}")).join();
            assertEquals(1, forced.getCount(), "not forced while the clock stands still");
            nanos.addAndGet(Duration.ofMillis(20).toNanos());
            forced.await(); // no other append comes: the writer's own timer must notice and force
            assertEquals(List.of("{\"alone\":true}"),
                    Logs.replay(log));
        }
    }

    @Test
    void theNonePolicyForcesOnlyOnClose() {
        SimulatedDirectory dir = new SimulatedDirectory();
        WriteAheadLog log = WriteAheadLog.open(dir, Logs.config(1 << 20, SyncPolicy.none()));
        int forcesAtOpen = dir.fileForces();
        Logs.appendEach(log, Logs.payloads(20));
        assertEquals(forcesAtOpen, dir.fileForces());
        assertEquals(List.of(), Logs.recover(dir.crash(new SimulatedDirectory.Crash.DropUnsynced())),
                "without a force a power loss loses them");

        log.close();
        assertEquals(forcesAtOpen + 2, dir.fileForces(), "the segment, then the manifest that says it was closed");
        assertEquals(Logs.payloads(20), Logs.recover(dir.crash(new SimulatedDirectory.Crash.DropUnsynced())));
    }

    @Test
    void closeWritesWhatIsQueuedAndLaterAppendsFail() {
        SimulatedDirectory dir = new SimulatedDirectory();
        WriteAheadLog log = WriteAheadLog.open(dir, Logs.config());
        List<CompletableFuture<Long>> queued = new ArrayList<>();
        for (String p : Logs.payloads(50)) {
            queued.add(log.append(Logs.utf8(p)));
        }
        log.close();
        log.close();

        for (CompletableFuture<Long> f : queued) {
            assertTrue(f.isDone() && !f.isCompletedExceptionally());
        }
        CompletionException closed = assertThrows(CompletionException.class,
                () -> log.append(Logs.utf8("{}")).join());
        assertInstanceOf(IllegalStateException.class, closed.getCause());
        assertThrows(IllegalStateException.class, () -> log.replay((seq, payload) -> { }));
        assertEquals(0, dir.openFiles());
        assertEquals(Logs.payloads(50), Logs.recover(dir.crash(new SimulatedDirectory.Crash.DropUnsynced())));
    }

    @Test
    void segmentsRollAtTheConfiguredSizeAndReplayCrossesThem() {
        SimulatedDirectory dir = new SimulatedDirectory();
        List<String> written = Logs.payloads(40);
        try (WriteAheadLog log = WriteAheadLog.open(dir, Logs.config(1024, SyncPolicy.everyBatch()))) {
            Logs.appendAll(log, written);
        }
        assertTrue(dir.names().size() > 3, dir.names().toString());
        for (String name : dir.names()) {
            assertTrue(dir.bytes(name).length <= 1024, name + " is " + dir.bytes(name).length + " bytes");
        }
        assertEquals(written, Logs.recover(dir.crash(new SimulatedDirectory.Crash.DropUnsynced())));
    }

    @Test
    void appendsBeyondTheMaximumRecordSizeFailAlone() {
        SimulatedDirectory dir = new SimulatedDirectory();
        try (WriteAheadLog log = WriteAheadLog.open(dir, Logs.config())) {
            CompletionException tooBig = assertThrows(CompletionException.class,
                    () -> log.append(new byte[64 * 1024 + 1]).join());
            assertTrue(tooBig.getCause().getMessage().contains("raise maxRecordSize"), tooBig.getMessage());
            assertEquals(1, log.append(Logs.utf8("{}")).join());
        }
    }

    @Test
    void appendersThatOnlyWaitAreCompletedWithoutTheCompletionThread() throws Exception {
        SimulatedDirectory dir = new SimulatedDirectory();
        List<Thread> made = Collections.synchronizedList(new ArrayList<>());
        WalConfig config = new WalConfig(1 << 20, 1024, SyncPolicy.everyBatch(), System::nanoTime, r -> {
            Thread t = Thread.ofPlatform().daemon(true).unstarted(r);
            made.add(t);
            return t;
        }, Logs.NO_CHECKPOINTS);
        int appenders = 16;
        int each = 50;
        try (WriteAheadLog log = WriteAheadLog.open(dir, config)) {
            CountDownLatch start = new CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < appenders; t++) {
                threads.add(Thread.ofVirtual().start(() -> {
                    awaitUninterruptibly(start);
                    for (int i = 0; i < each; i++) {
                        log.append(Logs.utf8("{\"i\":" + i + "}")).join();
                    }
                }));
            }
            start.countDown();
            for (Thread t : threads) {
                t.join();
            }
            assertEquals(1, made.size(), "only the writer thread was started (the completion thread starts with "
                    + "the first batch handed to it): " + made);
            assertEquals(appenders * each, Logs.replay(log).size());
        }
    }

    @Test
    void aWaitingAppenderWakesWhenItsAppendIsCancelledOrInterrupted() throws Exception {
        SimulatedDirectory dir = new SimulatedDirectory();
        CountDownLatch release = new CountDownLatch(1);
        try (WriteAheadLog log = WriteAheadLog.open(dir, Logs.config())) {
            appendHeld(dir, log, "{\"held\":true}", release); // what follows queues behind it

            CompletableFuture<Long> cancelled = log.append(Logs.utf8("{\"cancelled\":true}"));
            Waiter joiner = waiter(cancelled::join);
            cancelled.cancel(false);
            assertInstanceOf(java.util.concurrent.CancellationException.class, joiner.outcome().get());

            CompletableFuture<Long> interrupted = log.append(Logs.utf8("{\"interrupted\":true}"));
            Waiter getter = waiter(interrupted::get);
            getter.thread().interrupt();
            assertInstanceOf(InterruptedException.class, getter.outcome().get());

            // join() holds an interrupt until the append is done, and keeps the thread's interrupt status
            CompletableFuture<Long> held = log.append(Logs.utf8("{\"held on\":true}"));
            Waiter holder = waiter(() -> List.of(held.join(), Thread.currentThread().isInterrupted()));
            holder.thread().interrupt();
            release.countDown();
            assertEquals(List.of(4L, true), holder.outcome().get());
            assertEquals(5, log.append(Logs.utf8("{\"after\":true}")).join(), "the log goes on");
        }
    }

    @Test
    void everyWaiterOfABatchWakesWhenAppendsBeforeItInTheBatchLostTheirWaitersOrHadNone() throws Exception {
        SimulatedDirectory dir = new SimulatedDirectory();
        CountDownLatch release = new CountDownLatch(1);
        try (WriteAheadLog log = WriteAheadLog.open(dir, Logs.config())) {
            appendHeld(dir, log, "{\"held\":true}", release); // the next batch queues behind it
            // The batch's waiters wake one another as a heap (append i wakes 2i + 1 and 2i + 2): the first three
            // appends, which the joiners' wakes pass through, have no thread waiting when it completes.
            CompletableFuture<Long> cancelled = log.append(Logs.utf8("{\"cancelled\":true}"));
            Waiter leftOnCancel = waiter(cancelled::join);
            cancelled.cancel(false);
            log.append(Logs.utf8("{\"unwaited\":true}"));
            CompletableFuture<Long> interrupted = log.append(Logs.utf8("{\"interrupted\":true}"));
            Waiter leftOnInterrupt = waiter(interrupted::get);
            leftOnInterrupt.thread().interrupt();
            List<Waiter> joiners = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                CompletableFuture<Long> appended = log.append(Logs.utf8("{\"i\":" + i + "}"));
                joiners.add(waiter(appended::join));
            }
            assertInstanceOf(java.util.concurrent.CancellationException.class, leftOnCancel.outcome().get());
            assertInstanceOf(InterruptedException.class, leftOnInterrupt.outcome().get());
            release.countDown();
            List<Object> seqs = new ArrayList<>();
            for (Waiter joiner : joiners) {
                seqs.add(joiner.outcome().get(30, java.util.concurrent.TimeUnit.SECONDS)); // a lost wake hangs here
            }
            List<Object> expected = new ArrayList<>();
            for (long seq = 5; seq < 5 + joiners.size(); seq++) {
                expected.add(seq);
            }
            assertEquals(expected, seqs);
        }
    }

    /**
     * Appends {@code payload} and returns once the writer is inside its first write of it, where it stays until
     * {@code release}.
     */
    private static CompletableFuture<Long> appendHeld(SimulatedDirectory dir, WriteAheadLog log, String payload,
            CountDownLatch release) throws InterruptedException {
        CountDownLatch writerHeld = new CountDownLatch(1);
        dir.beforeEachOperation(() -> {
            writerHeld.countDown();
            awaitUninterruptibly(release);
        });
        CompletableFuture<Long> appended = log.append(Logs.utf8(payload));
        writerHeld.await(); // the writer is inside its first write, holding the directory's lock
        dir.beforeEachOperation(() -> { }); // takes effect after the held write, as the lock is held until then
        return appended;
    }

    /** A thread that waits, and what its wait gave or threw. */
    private record Waiter(Thread thread, CompletableFuture<Object> outcome) {
    }

    /** Starts a virtual thread that waits by calling {@code waiting}, and returns once it is parked. */
    private static Waiter waiter(java.util.concurrent.Callable<Object> waiting) {
        CompletableFuture<Object> outcome = new CompletableFuture<>();
        Thread thread = Thread.ofVirtual().start(() -> {
            try {
                outcome.complete(waiting.call());
            } catch (Exception e) {
                outcome.complete(e);
            }
        });
        awaitParked(thread);
        return new Waiter(thread, outcome);
    }

    /** Waits until {@code thread} parks (its state says it waits); no sleep: it yields between looks. */
    private static void awaitParked(Thread thread) {
        while (thread.getState() != Thread.State.WAITING) {
            Thread.onSpinWait();
            Thread.yield();
        }
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
