package dev.orchestrator.temporal.internal;

import dev.orchestrator.api.Journal;
import dev.orchestrator.api.MissionEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * An activity's journal kept in its Temporal heartbeat details: each event is added to the details and heartbeated
 * before the call that recorded it goes on. A retried attempt of the activity, on this worker or another, starts
 * from the details the last attempt left, so the model and tool calls recorded there are answered from them.
 *
 * <p>How durable that is: Temporal sends the details of a failed attempt with its failure, so an attempt that
 * fails (a model call that failed for a passing reason, a crash the JVM survives) loses nothing. The SDK sends
 * heartbeats at most every 80 % of the heartbeat timeout, though, so when a worker is lost outright, the records
 * of the last interval are lost with it, and those calls are made again.
 */
public final class HeartbeatJournal implements Journal {

    private final List<String> records;
    private final Consumer<String[]> heartbeat;
    private final ReentrantLock lock = new ReentrantLock();
    private boolean closed;

    /**
     * @param previous the records the last attempt left, oldest first
     * @param heartbeat sends the records as the activity's heartbeat details
     */
    public HeartbeatJournal(List<String> previous, Consumer<String[]> heartbeat) {
        this.records = new ArrayList<>(previous);
        this.heartbeat = heartbeat;
    }

    @Override
    public CompletableFuture<Long> append(MissionEvent event) {
        lock.lock();
        try {
            if (closed) {
                return CompletableFuture.failedFuture(new IllegalStateException("the activity's journal is closed: "
                        + "the task has ended"));
            }
            records.add(Wire.event(event));
            heartbeat.accept(records.toArray(String[]::new));
            return CompletableFuture.completedFuture((long) records.size());
        } catch (RuntimeException e) {
            // the heartbeat failed: the activity was cancelled or timed out; the task stops at its next record
            closed = true;
            return CompletableFuture.failedFuture(e);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void replay(Consumer<? super MissionEvent> sink) {
        Wire.events(snapshot()).forEach(sink);
    }

    /** {@return the records, oldest first} */
    public List<String> snapshot() {
        lock.lock();
        try {
            return List.copyOf(records);
        } finally {
            lock.unlock();
        }
    }

    /** Sends the records again, so that a task busy in one long call still shows it is alive. */
    public void beat() {
        lock.lock();
        try {
            if (!closed) {
                heartbeat.accept(records.toArray(String[]::new));
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
        } finally {
            lock.unlock();
        }
    }
}
