package dev.orchestrator.core.internal.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class ParallelDecoderTest {

    private static final ThreadFactory DAEMONS = Thread.ofPlatform().daemon(true).factory();
    private static final ByteBuffer PAYLOAD = ByteBuffer.allocate(1);

    @Test
    void resultsReachTheSinkInRecordOrderOnTheFeedingThread() {
        int records = 10 * ParallelDecoder.BATCH + 7;
        List<Long> seen = new ArrayList<>();
        Thread feeding = Thread.currentThread();
        try (ParallelDecoder<Long> decoder = new ParallelDecoder<>(3, DAEMONS, (seq, payload) -> seq, seq -> {
            assertSame(feeding, Thread.currentThread());
            seen.add(seq);
        })) {
            for (long seq = 1; seq <= records; seq++) {
                decoder.accept(seq, PAYLOAD);
            }
            decoder.finish();
        }
        assertEquals(LongStream.rangeClosed(1, records).boxed().toList(), seen);
    }

    @Test
    void aFailureIsThrownAfterTheResultsOfTheRecordsBeforeIt() {
        IllegalStateException bad = new IllegalStateException("seq 300 is bad");
        List<Long> seen = new ArrayList<>();
        try (ParallelDecoder<Long> decoder = new ParallelDecoder<>(2, DAEMONS, (seq, payload) -> {
            if (seq == 300) {
                throw bad;
            }
            return seq;
        }, seen::add)) {
            IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> {
                for (long seq = 1; seq <= 2_000; seq++) {
                    decoder.accept(seq, PAYLOAD);
                }
                decoder.finish();
            });
            assertSame(bad, thrown);
        }
        assertEquals(LongStream.rangeClosed(1, 299).boxed().toList(), seen);
    }

    @Test
    void theFeedingThreadDecodesWhatNoOtherThreadHasTaken() {
        CountDownLatch late = new CountDownLatch(1); // its threads start only once everything was handed on
        List<Thread> decodedOn = new ArrayList<>();
        try (ParallelDecoder<Long> decoder = new ParallelDecoder<>(2, r -> DAEMONS.newThread(() -> {
            awaitUninterruptibly(late);
            r.run();
        }), (seq, payload) -> {
            synchronized (decodedOn) {
                decodedOn.add(Thread.currentThread());
            }
            return seq;
        }, seq -> { })) {
            try {
                for (long seq = 1; seq <= 3 * ParallelDecoder.BATCH; seq++) {
                    decoder.accept(seq, PAYLOAD);
                }
                decoder.finish();
            } finally {
                late.countDown(); // before close(), which waits for the threads to end
            }
        }
        assertEquals(3 * ParallelDecoder.BATCH, decodedOn.size());
        assertTrue(decodedOn.stream().allMatch(Thread.currentThread()::equals));
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        while (true) {
            try {
                latch.await();
                return;
            } catch (InterruptedException e) {
                // close() interrupts the threads; this one must still get past the latch to end
            }
        }
    }

    @Test
    void itsThreadsHaveEndedWhenItIsClosed() {
        List<Thread> made = new CopyOnWriteArrayList<>();
        try (ParallelDecoder<Long> decoder = new ParallelDecoder<>(2, r -> {
            Thread t = DAEMONS.newThread(r);
            made.add(t);
            return t;
        }, (seq, payload) -> seq, seq -> { })) {
            for (long seq = 1; seq <= 5 * ParallelDecoder.BATCH; seq++) {
                decoder.accept(seq, PAYLOAD);
            }
        } // closed without finish(), as when the sink throws
        assertTrue(!made.isEmpty());
        for (Thread t : made) {
            assertFalse(t.isAlive(), t + " still runs");
        }
    }
}
