package dev.orchestrator.core.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.orchestrator.api.MissionEvent;
import dev.orchestrator.core.journal.FileJournal;
import dev.orchestrator.core.journal.SnapshotJournal;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The journal cannot outrun a snapshot that is slow to store by more than an interval. */
class SnapshotBackpressureTest {

    private static final Instant AT = Instant.parse("2026-12-01T00:00:00Z");
    private static final int INTERVAL = 3;

    /**
     * A journal that wants a snapshot every {@value #INTERVAL} events, counted as the file journal counts them
     * (from the start of the last snapshot, once it is stored), and whose snapshots wait at a gate.
     */
    static final class GatedJournal implements SnapshotJournal {
        final List<MissionEvent> events = new ArrayList<>();
        volatile CountDownLatch storing = new CountDownLatch(1);
        volatile CountDownLatch gate = new CountDownLatch(0);

        /** Closes the gate: the next snapshot waits at it, after counting down {@link #storing}. */
        void closeGate() {
            storing = new CountDownLatch(1);
            gate = new CountDownLatch(1);
        }
        private long countedFrom;
        private FileJournal.Snapshot newest;

        @Override
        public synchronized CompletableFuture<Long> append(MissionEvent event) {
            events.add(event);
            return CompletableFuture.completedFuture((long) events.size());
        }

        @Override
        public synchronized boolean snapshotDue() {
            return events.size() - countedFrom >= INTERVAL;
        }

        @Override
        public void snapshot(long seq, byte[] state) {
            long from;
            synchronized (this) {
                from = events.size();
            }
            storing.countDown();
            try {
                gate.await();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            synchronized (this) {
                countedFrom = from;
                newest = new FileJournal.Snapshot(seq, state);
            }
        }

        @Override
        public synchronized Optional<FileJournal.Snapshot> latestSnapshot() {
            return Optional.ofNullable(newest);
        }

        @Override
        public synchronized void replay(Consumer<? super MissionEvent> sink) {
            List.copyOf(events).forEach(sink);
        }

        synchronized int size() {
            return events.size();
        }

        @Override
        public void close() {
        }
    }

    private static MissionEvent note(int n) {
        return new MissionEvent.AgentNote("t#1", "worker", "note " + n, AT);
    }

    /** A recorder that has stored two snapshots, the second one due while none was being stored: an interval. */
    private static EventRecorder recorderAfterTwoSnapshots(GatedJournal journal) {
        EventRecorder recorder = new EventRecorder(journal, List.of(), InstantSource.fixed(AT), Checkpoint.EMPTY,
                "m");
        recorder.record(new MissionEvent.MissionStarted("m", "goal", "/w", "true", "", AT));
        for (int n = 2; n <= 2 * INTERVAL; n++) {
            recorder.record(note(n));
        }
        assertEquals(2 * INTERVAL, journal.latestSnapshot().orElseThrow().seq());
        return recorder;
    }

    @Test
    @Timeout(60)
    void whoRecordsAnIntervalPastASnapshotBeingStoredWaitsUntilItIsStored() throws Exception {
        GatedJournal journal = new GatedJournal();
        EventRecorder recorder = recorderAfterTwoSnapshots(journal);
        journal.closeGate();
        for (int n = 2 * INTERVAL + 1; n < 3 * INTERVAL; n++) {
            recorder.record(note(n));
        }
        Thread storer = Thread.ofPlatform().start(() -> recorder.record(note(3 * INTERVAL)));
        journal.storing.await(); // the storer took the snapshot and is stuck at the gate

        for (int n = 3 * INTERVAL + 1; n < 4 * INTERVAL; n++) {
            recorder.record(note(n)); // within the interval after the snapshot being stored: no wait
        }
        CountDownLatch recorded = new CountDownLatch(1);
        Thread outrunning = Thread.ofPlatform().start(() -> {
            recorder.record(note(4 * INTERVAL));
            recorded.countDown();
        });
        while (outrunning.getState() != Thread.State.WAITING && outrunning.isAlive()) {
            Thread.onSpinWait(); // until it parks: on the stored snapshot, as the count below shows
        }
        assertEquals(4 * INTERVAL, journal.size(), "its event is in the journal before it waits");
        assertEquals(1, recorded.getCount(), "it waits while the snapshot is being stored");

        journal.gate.countDown();
        outrunning.join();
        storer.join();
        assertEquals(0, recorded.getCount());
        assertEquals(3 * INTERVAL, journal.latestSnapshot().orElseThrow().seq());
        assertFalse(outrunning.isInterrupted());
    }

    @Test
    @Timeout(60)
    void theThreadStoringASnapshotNeverWaitsForItself() {
        GatedJournal journal = new GatedJournal();
        EventRecorder recorder = recorderAfterTwoSnapshots(journal);
        for (int n = 2 * INTERVAL + 1; n < 3 * INTERVAL; n++) {
            recorder.record(note(n));
        }
        // as the Commander dispatches: it appends the next chunk before it awaits the one that took a snapshot
        EventRecorder.Appended taking = recorder.appendAll(List.of(note(3 * INTERVAL)));
        List<MissionEvent> more = new ArrayList<>();
        for (int n = 3 * INTERVAL + 1; n <= 5 * INTERVAL; n++) {
            more.add(note(n));
        }
        EventRecorder.Appended after = recorder.appendAll(more);
        taking.await();
        after.await();
        assertEquals(3 * INTERVAL, journal.latestSnapshot().orElseThrow().seq());
        recorder.record(note(5 * INTERVAL + 1));
        assertEquals(5 * INTERVAL + 1, journal.size());
    }
}
