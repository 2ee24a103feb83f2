package dev.orchestrator.core.internal.llm;

import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Closes a streamed body when nothing arrived on it for too long. The JDK's HTTP client has no read timeout for a body
 * that is already flowing, so without this a server or proxy that stalls mid-answer would hang the worker forever.
 * A reader that never reports {@linkplain #activity() activity} gets a deadline: the body is closed once the timeout
 * has passed, however it trickles.
 *
 * <p>One check is pending per stream at a time: it re-arms itself for the remaining time instead of being replaced on
 * every event, so a long answer does not pile up timers. The checks run on the JDK's shared delayed executor, which
 * needs no shutting down.
 */
final class IdleWatchdog implements AutoCloseable {

    private final Closeable body;
    private final long timeoutNanos;
    private volatile long lastActivity;
    private volatile boolean done;
    private volatile boolean fired;

    IdleWatchdog(Closeable body, Duration timeout) {
        this.body = body;
        this.timeoutNanos = timeout.toNanos();
        this.lastActivity = System.nanoTime();
        arm(timeoutNanos);
    }

    /** Something arrived: the stream is alive. */
    void activity() {
        lastActivity = System.nanoTime();
    }

    /** Whether the watchdog closed the body. */
    boolean fired() {
        return fired;
    }

    private void arm(long delayNanos) {
        CompletableFuture.delayedExecutor(delayNanos, TimeUnit.NANOSECONDS).execute(this::check);
    }

    private void check() {
        if (done) {
            return;
        }
        long idle = System.nanoTime() - lastActivity;
        if (idle < timeoutNanos) {
            arm(timeoutNanos - idle);
            return;
        }
        fired = true;
        try {
            body.close();
        } catch (IOException e) {
            // the reader fails either way, which is all that is needed
        }
    }

    /** The stream is finished; the pending check does nothing. */
    @Override
    public void close() {
        done = true;
    }
}
