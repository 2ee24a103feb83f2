package dev.orchestrator.core.internal.limit;

import dev.orchestrator.core.internal.retry.Blocker;
import java.time.Duration;
import java.time.Instant;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Virtual time for tests: the clock moves only when a test advances it or a blocked caller waits, and scheduled
 * tasks run in time order on the thread that moves it.
 */
public final class ManualTime implements Scheduler, Blocker {

    /** The virtual clock starts here. */
    public static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    private final PriorityQueue<Task> tasks = new PriorityQueue<>();
    private long nanos;
    private long sequence;

    @Override
    public synchronized Instant instant() {
        return START.plusNanos(nanos);
    }

    /** Virtual time passed since {@link #START}. */
    public synchronized Duration elapsed() {
        return Duration.ofNanos(nanos);
    }

    @Override
    public synchronized Cancellable schedule(Duration delay, Runnable task) {
        Task scheduled = new Task(nanos + Math.max(0, delay.toNanos()), sequence++, task);
        tasks.add(scheduled);
        return () -> {
            synchronized (this) {
                tasks.remove(scheduled);
            }
        };
    }

    /** Moves the clock forward by {@code duration}, running every task that falls due on the way. */
    public void advance(Duration duration) {
        long target;
        synchronized (this) {
            target = nanos + duration.toNanos();
        }
        while (true) {
            Task next;
            synchronized (this) {
                if (tasks.isEmpty() || tasks.peek().at > target) {
                    nanos = target;
                    return;
                }
                next = tasks.poll();
                nanos = Math.max(nanos, next.at);
            }
            next.task.run();
        }
    }

    /** Runs scheduled tasks, moving the clock to each, until the future is done. */
    @Override
    public <T> T await(CompletableFuture<T> future) {
        while (!future.isDone()) {
            Task next;
            synchronized (this) {
                next = tasks.poll();
                if (next == null) {
                    throw new AssertionError("waiting forever: the future is not done and nothing is scheduled");
                }
                nanos = Math.max(nanos, next.at);
            }
            next.task.run();
        }
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException unchecked) {
                throw unchecked;
            }
            throw e;
        }
    }

    private record Task(long at, long sequence, Runnable task) implements Comparable<Task> {
        @Override
        public int compareTo(Task other) {
            return at != other.at ? Long.compare(at, other.at) : Long.compare(sequence, other.sequence);
        }
    }
}
