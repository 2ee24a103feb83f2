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
 * every event, so a long answer does not pile up timers. The checks are timed by the JDK's shared delay scheduler,
 * which needs no shutting down, and run on the common pool. Closing the watchdog cancels the pending check: every
 * call that is not streamed has one, for as long as the request timeout (10 minutes by default), and a finished
 * call's would otherwise keep the watchdog and its body until then.
 */
final class IdleWatchdog implements AutoCloseable {

    private final Closeable body;
    private final long timeoutNanos;
    private volatile long lastActivity;
    private volatile boolean done;
    private volatile boolean fired;
    private volatile CompletableFuture<Void> pending;

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
        CompletableFuture<Void> timer = new CompletableFuture<>();
        pending = timer;
        // completed early, the timer cancels its scheduled task; a check that runs then sees done and does nothing
        timer.completeOnTimeout(null, delayNanos, TimeUnit.NANOSECONDS).thenRunAsync(this::check);
        if (done) {
            timer.complete(null); // closed while this armed it
        }
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

    /** The body is read: the pending check is cancelled. */
    @Override
    public void close() {
        done = true;
        pending.complete(null);
    }
}
