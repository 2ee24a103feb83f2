package dev.orchestrator.benchmarks.limit;

import dev.orchestrator.core.internal.limit.Scheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.PriorityQueue;

/** Virtual time: events run one after another in time order, on one thread, and take no real time. */
final class EventLoop implements Scheduler {

    private static final Instant EPOCH = Instant.parse("2026-01-01T00:00:00Z");

    private final PriorityQueue<Event> events = new PriorityQueue<>();
    private long nanos;
    private long sequence;

    /** Seconds since the start. */
    double now() {
        return nanos / 1e9;
    }

    @Override
    public Instant instant() {
        return EPOCH.plusNanos(nanos);
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable task) {
        Event event = new Event(nanos + Math.max(0, delay.toNanos()), sequence++, task);
        events.add(event);
        return () -> event.cancelled = true;
    }

    /** Runs {@code task} {@code seconds} from now. */
    void after(double seconds, Runnable task) {
        schedule(Duration.ofNanos((long) (seconds * 1e9)), task);
    }

    /** Runs every event up to {@code seconds} since the start. */
    void runUntil(double seconds) {
        long end = (long) (seconds * 1e9);
        while (!events.isEmpty() && events.peek().at <= end) {
            Event event = events.poll();
            nanos = event.at;
            if (!event.cancelled) {
                event.task.run();
            }
        }
        nanos = end;
    }

    private static final class Event implements Comparable<Event> {
        final long at;
        final long sequence;
        final Runnable task;
        boolean cancelled;

        Event(long at, long sequence, Runnable task) {
            this.at = at;
            this.sequence = sequence;
            this.task = task;
        }

        @Override
        public int compareTo(Event other) {
            return at != other.at ? Long.compare(at, other.at) : Long.compare(sequence, other.sequence);
        }
    }
}
