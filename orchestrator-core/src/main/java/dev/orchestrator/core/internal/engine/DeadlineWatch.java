package dev.orchestrator.core.internal.engine;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.Optional;

/**
 * Stops a mission at its deadline, by the mission's clock. It runs on a thread of its own because at the deadline
 * the Commander may be anywhere, blocked in a model call that waits for a provider's pause included: stopping
 * interrupts it, and it interrupts the workers in turn. {@link #close} ends the thread.
 */
final class DeadlineWatch implements AutoCloseable {

    private final CountDownLatch closed = new CountDownLatch(1);
    private final Optional<Thread> thread;

    /**
     * Starts watching: at {@code deadline} from now by {@code clock}, {@code onDeadline} runs, unless the watch
     * was closed before. Without a deadline it watches nothing and starts no thread.
     */
    DeadlineWatch(Optional<Duration> deadline, InstantSource clock, ThreadFactory threads, Runnable onDeadline) {
        this.thread = deadline.map(duration -> {
            Instant end = clock.instant().plus(duration);
            Thread watcher = threads.newThread(() -> watch(end, clock, onDeadline));
            watcher.start();
            return watcher;
        });
    }

    private void watch(Instant end, InstantSource clock, Runnable onDeadline) {
        try {
            Duration left = Duration.between(clock.instant(), end);
            // wait, then ask the clock again: an injected clock may run slower than the wait
            while (left.isPositive()) {
                if (closed.await(left.toNanos(), TimeUnit.NANOSECONDS)) {
                    return;
                }
                left = Duration.between(clock.instant(), end);
            }
            onDeadline.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops watching and waits for the thread to end. */
    @Override
    public void close() {
        closed.countDown();
        if (thread.isEmpty()) {
            return;
        }
        boolean interrupted = false;
        while (thread.get().isAlive()) {
            try {
                thread.get().join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
