package dev.orchestrator.core.internal.engine;

import dev.orchestrator.api.Journal;
import dev.orchestrator.api.MissionEvent;
import dev.orchestrator.api.MissionListener;
import dev.orchestrator.api.MissionProgress;
import dev.orchestrator.core.internal.log.LazyLogger;
import dev.orchestrator.core.llm.ModelPrices;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The one way mission state changes: an event is appended to the journal, folded into the state, and handed to
 * the listeners once durable. {@link #record} returns only after the event is durable, so whoever records an event
 * acts on it afterwards: write-ahead.
 *
 * <p>Listeners run on a thread of their own, one event after the other in journal order, each once it is durable, so
 * a slow listener (a console board) delays no worker and no journal write. {@link #close} waits until they have
 * seen every durable event.
 *
 * <p>It also folds the {@link Checkpoint} a resume needs and, when the journal says one is due, stores it as a
 * snapshot: on the thread that recorded the event, after the event is durable, one snapshot at a time.
 *
 * <p>The journal on disk stays within about two snapshot intervals of its newest durable snapshot, however slowly a
 * snapshot is written: once as many events were appended after the snapshot being written as its interval holds,
 * whoever records an event waits, after its event is durable, until that snapshot is stored (the thread storing it
 * never waits for itself). Without that wait, Workers that append faster than a loaded machine writes snapshots
 * grew the journal without bound. The interval, in events, is learned from the journal: the events between two
 * snapshots when the second one fell due while none was being written.
 */
final class EventRecorder implements AutoCloseable {

    private static final System.Logger LOG = LazyLogger.of(EventRecorder.class);

    private final Journal journal;
    private final List<MissionListener> listeners;
    private final InstantSource clock;
    private final LongSupplier nanoClock;
    private final ExecutorService delivery;
    // a lock rather than a monitor: on JDK 21 a virtual thread blocked on a monitor pins its carrier
    private final ReentrantLock lock = new ReentrantLock();
    private final Optional<SnapshotStore> snapshots;
    private volatile Checkpoint checkpoint;
    // the snapshots' bookkeeping, in events this recorder appended; all under the lock
    private long appended;
    private long lastTakenAt;
    private long lastNotDueAt = -1;
    private long interval = Long.MAX_VALUE;
    private InFlight inFlight;

    /** The snapshot being stored, by whom, and how many events this recorder had appended when it was taken. */
    private record InFlight(Thread storer, long takenAt, CompletableFuture<Void> stored) {
    }
    private final RoleUsages roles;

    EventRecorder(Journal journal, List<MissionListener> listeners, InstantSource clock, Checkpoint initial,
            String missionId) {
        this(journal, listeners, clock, initial, missionId, ModelPrices.defaults());
    }

    /** A recorder whose listeners see the usage per role at {@code prices}, the mission's. */
    EventRecorder(Journal journal, List<MissionListener> listeners, InstantSource clock, Checkpoint initial,
            String missionId, ModelPrices prices) {
        this(journal, listeners, clock, System::nanoTime, initial, missionId, prices);
    }

    /** A recorder whose listeners hear how long appends took by {@code nanoClock}. */
    EventRecorder(Journal journal, List<MissionListener> listeners, InstantSource clock, LongSupplier nanoClock,
            Checkpoint initial, String missionId) {
        this(journal, listeners, clock, nanoClock, initial, missionId, ModelPrices.defaults());
    }

    private EventRecorder(Journal journal, List<MissionListener> listeners, InstantSource clock,
            LongSupplier nanoClock, Checkpoint initial, String missionId, ModelPrices prices) {
        this.roles = new RoleUsages(prices);
        this.journal = journal;
        this.listeners = List.copyOf(listeners);
        this.clock = clock;
        this.nanoClock = nanoClock;
        this.checkpoint = initial;
        this.snapshots = SnapshotStore.of(journal);
        this.delivery = listeners.isEmpty() ? null : Executors.newSingleThreadExecutor(
                Thread.ofVirtual().name("mission-" + missionId + "-listeners").factory());
    }

    /** Tells the listeners a run begins, before any event of the run reaches them. */
    void runStarted(MissionListener.RunStarted run) {
        if (delivery != null) {
            delivery.execute(() -> each("as the run began", listener -> listener.onRunStarted(run)));
        }
    }

    /**
     * What the listeners keep for the mission's later runs ({@link MissionListener#missionContext()}), asked on the
     * calling thread: the one that starts the mission.
     */
    Map<String, String> missionContext() {
        return missionContext(listeners);
    }

    /** What {@code listeners} keep for the mission's later runs, each asked in turn; one that throws is logged. */
    static Map<String, String> missionContext(List<MissionListener> listeners) {
        Map<String, String> context = new HashMap<>();
        each(listeners, "when asked for the mission's context", listener -> context.putAll(listener.missionContext()));
        return context;
    }

    /** The time to stamp on a new event. */
    Instant now() {
        return clock.instant();
    }

    /** The state after every event recorded so far. */
    MissionState state() {
        return checkpoint.state();
    }

    /** What a resume would need after every event recorded so far. */
    Checkpoint checkpoint() {
        return checkpoint;
    }

    /**
     * Records {@code event} and waits until it is durable.
     *
     * @throws JournalFailure if the journal could not make it durable
     */
    void record(MissionEvent event) {
        recordAll(List.of(event));
    }

    /**
     * Records {@code event} unless the mission has finished: for reports that arrive from shared parts (the rate
     * limiter, the retry layer) on their own threads and may come after the end.
     */
    void recordWhileRunning(MissionEvent event) {
        Appended appended;
        lock.lock();
        try {
            if (checkpoint.state().finished().isPresent()) {
                return;
            }
            // no snapshot here: this may be a thread the limiter shares with other missions; the mission's own
            // next event takes the snapshot that is due
            appended = appendLocked(List.of(event), false);
        } finally {
            lock.unlock();
        }
        appended.await();
    }

    /**
     * Records {@code events} in order and waits until the last is durable: one wait for the lot, which a journal
     * that syncs to disk can serve with one sync.
     *
     * @throws JournalFailure if the journal could not make them durable
     */
    void recordAll(List<? extends MissionEvent> events) {
        if (!events.isEmpty()) {
            appendAll(events).await();
        }
    }

    /**
     * Appends and folds {@code events} (at least one) without waiting for them: the caller acts on them only after
     * {@link Appended#await()}. Lets a caller append the next events while it acts on the last ones.
     */
    Appended appendAll(List<? extends MissionEvent> events) {
        lock.lock();
        try {
            return appendLocked(events, true);
        } finally {
            lock.unlock();
        }
    }

    /** Appends and folds {@code events}; the caller holds the lock. */
    private Appended appendLocked(List<? extends MissionEvent> events, boolean maySnapshot) {
        long start = nanoClock.getAsLong();
        long bytesBefore = journal.appendedBytes();
        // no list at all without listeners: this runs for every append
        List<Delivery> deliveries = delivery == null ? List.of() : new ArrayList<>(events.size());
        CompletableFuture<Long> durable = null;
        try {
            for (MissionEvent event : events) {
                durable = append(event);
                appended++;
                if (delivery != null) {
                    deliveries.add(new Delivery(event, checkpoint, durable));
                }
            }
        } finally {
            // also when an event could not be appended: those before it are in the journal
            deliverOnceDurable(deliveries);
        }
        Checkpoint due = maySnapshot ? snapshotDue() : null;
        // no wait for a recorder that may not snapshot, nor for the snapshot this thread stores itself
        CompletableFuture<Void> behind = maySnapshot && due == null && inFlight != null
                && inFlight.storer() != Thread.currentThread() && appended - inFlight.takenAt() >= interval
                ? inFlight.stored() : null;
        return new Appended(durable, events.getLast(), due, behind, events.size(),
                journal.appendedBytes() - bytesBefore, start);
    }

    /**
     * Events appended that whoever waits must not act on before they are durable. Waiting does nothing else (no
     * snapshot, no report), so any number of threads may wait for the same events.
     */
    @FunctionalInterface
    interface Durable {

        /** Events that were durable before anyone could wait for them. */
        Durable ALREADY = () -> { };

        /**
         * Waits until the events are durable.
         *
         * @throws JournalFailure if the journal could not make them durable
         */
        void await();
    }

    /** Events appended and folded, perhaps not durable yet. */
    final class Appended {

        private final CompletableFuture<Long> durable;
        private final MissionEvent last;
        private final Checkpoint due;
        private final CompletableFuture<Void> behind;
        private final int events;
        private final long bytes;
        private final long start;

        private Appended(CompletableFuture<Long> durable, MissionEvent last, Checkpoint due,
                CompletableFuture<Void> behind, int events, long bytes, long start) {
            this.durable = durable;
            this.last = last;
            this.due = due;
            this.behind = behind;
            this.events = events;
            this.bytes = bytes;
            this.start = start;
        }

        /**
         * What those who act on these events wait for, besides the one who appended them and calls {@link #await()}:
         * their durability alone.
         */
        Durable durable() {
            return () -> EventRecorder.await(durable, last);
        }

        /**
         * Waits until the events are durable, tells the listeners how long that took, then stores the snapshot that
         * was due when they were appended, or waits for the one being stored if the journal has outrun it by an
         * interval (an interrupt ends that wait, and is kept).
         *
         * @throws JournalFailure if the journal could not make them durable
         */
        void await() {
            try {
                EventRecorder.await(durable, last);
                journalAppended(events, bytes, nanoClock.getAsLong() - start);
            } finally {
                snapshot(durable, due);
            }
            if (behind != null) {
                try {
                    behind.get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (ExecutionException e) {
                    throw new IllegalStateException("a snapshot's completion never fails", e);
                }
            }
        }
    }

    /** On the recording thread, with no allocation (not even an iterator): this runs for every append. */
    private void journalAppended(int events, long bytes, long nanos) {
        for (int i = 0; i < listeners.size(); i++) {
            MissionListener listener = listeners.get(i);
            try {
                listener.onJournalAppended(events, bytes, nanos);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "listener " + listener + " failed on a journal append; the mission goes on",
                        e);
            }
        }
    }

    /**
     * The checkpoint to store, if a snapshot is due and none is being stored; the caller holds the lock, so it is
     * the checkpoint as of the last event appended.
     */
    private Checkpoint snapshotDue() {
        if (snapshots.isEmpty() || inFlight != null) {
            return null;
        }
        if (!snapshots.get().snapshotDue()) {
            lastNotDueAt = appended;
            return null;
        }
        // it fell due just now, after one was stored (the journal counts from the last one taken): an interval
        if (lastNotDueAt > lastTakenAt || interval == Long.MAX_VALUE) {
            interval = Math.max(1, appended - lastTakenAt);
        }
        lastTakenAt = appended;
        inFlight = new InFlight(Thread.currentThread(), appended, new CompletableFuture<>());
        return checkpoint;
    }

    /**
     * Stores {@code due} as of the event {@code durable} is the sequence number of. A snapshot that cannot be
     * stored costs only resume time (the journal still holds every event), so the mission goes on.
     */
    private void snapshot(CompletableFuture<Long> durable, Checkpoint due) {
        if (due == null) {
            return;
        }
        try {
            if (!durable.isCompletedExceptionally()) { // else the journal failed, and the caller hears of it
                snapshots.orElseThrow().snapshot(durable.join(), due);
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "cannot store a snapshot of the mission state; the journal still holds every "
                    + "event, so only a resume takes longer", e);
        } finally {
            InFlight stored;
            lock.lock();
            try {
                stored = inFlight;
                inFlight = null;
            } finally {
                lock.unlock();
            }
            stored.stored().complete(null);
        }
    }

    /** Appends and folds one event; the caller holds the lock, so journal order and fold order are one order. */
    private CompletableFuture<Long> append(MissionEvent event) {
        Checkpoint next = checkpoint.apply(event);
        CompletableFuture<Long> durable = journal.append(event);
        checkpoint = next;
        return durable;
    }

    /**
     * An event for the listeners, with the checkpoint after it and its append. The progress is made from the
     * checkpoint on the listeners' thread: pricing the usage by role, which every model call changes, under the lock
     * made every Worker that records its call wait for the others' pricing.
     */
    private record Delivery(MissionEvent event, Checkpoint after, CompletableFuture<Long> durable) {

        MissionProgress progress(RoleUsages roles) {
            return after.state().progress(roles.of(after.usage()));
        }
    }

    /**
     * Hands {@code deliveries}, events appended together, to the listeners' thread as one task that waits until the
     * last is durable: a fan-out's thousands of dispatches cost one hand-off, not one each. Journals complete
     * appends in order, so the ones before the last are settled by then; only the events the journal made durable
     * reach the listeners (never durable, never happened: whoever recorded it hears of the failure). Queued here,
     * under the lock: in journal order, and before close() can end the queue. Queued from the journal's completion
     * instead, it raced with close(): join() woke the recording thread before the completing thread had queued the
     * delivery, and a run's last events never reached the listeners.
     */
    private void deliverOnceDurable(List<Delivery> deliveries) {
        if (deliveries.isEmpty()) {
            return;
        }
        delivery.execute(() -> {
            try {
                deliveries.getLast().durable().join();
            } catch (CompletionException | CancellationException e) {
                // some before the last may be durable: delivered below
            }
            for (Delivery each : deliveries) {
                if (each.durable().isDone() && !each.durable().isCompletedExceptionally()) {
                    deliver(each.event(), each.progress(roles));
                }
            }
        });
    }

    private static void await(CompletableFuture<Long> durable, MissionEvent last) {
        try {
            durable.join();
        } catch (CompletionException e) {
            throw new JournalFailure("the journal could not record " + last.getClass().getSimpleName() + ": "
                    + e.getCause().getMessage(), e.getCause());
        }
    }

    /**
     * Gives {@code event} to the listeners; a dispatch wave as one {@link MissionEvent.TaskDispatched} per task,
     * built here, on the listeners' thread, rather than by the Commander as it dispatches.
     */
    private void deliver(MissionEvent event, MissionProgress progress) {
        if (event instanceof MissionEvent.TasksDispatched wave) {
            wave.each().forEach(each -> deliver(each, progress));
            return;
        }
        each("on " + event.getClass().getSimpleName(), listener -> listener.onEvent(event, progress));
    }

    private void each(String when, Consumer<MissionListener> call) {
        each(listeners, when, call);
    }

    /** Calls each of {@code listeners}; one that throws is logged and the others still called. */
    static void each(List<MissionListener> listeners, String when, Consumer<MissionListener> call) {
        for (MissionListener listener : listeners) {
            try {
                call.accept(listener);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "listener " + listener + " failed " + when + "; the mission goes on", e);
            }
        }
    }

    /** Waits until the listeners have seen every event recorded, then ends their thread. */
    @Override
    public void close() {
        if (delivery != null) {
            delivery.close();
        }
    }
}
