package dev.orchestrator.core.internal.llm;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Closeable;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class IdleWatchdogTest {

    /** A body that counts down when closed. */
    private static final class Body implements Closeable {
        final CountDownLatch closed = new CountDownLatch(1);

        @Override
        public void close() {
            closed.countDown();
        }
    }

    @Test
    void aBodyOnWhichNothingArrivesIsClosedAtTheTimeout() throws InterruptedException {
        Body body = new Body();
        IdleWatchdog watchdog = new IdleWatchdog(body, Duration.ofMillis(50));

        assertTrue(body.closed.await(1, TimeUnit.MINUTES), "closed by the watchdog");
        assertTrue(watchdog.fired());
    }

    @Test
    void aClosedWatchdogLeavesTheBodyAlone() throws InterruptedException {
        Body body = new Body();
        IdleWatchdog watchdog = new IdleWatchdog(body, Duration.ofMillis(50));
        watchdog.close();

        assertFalse(body.closed.await(500, TimeUnit.MILLISECONDS), "closed although the reader was done");
        assertFalse(watchdog.fired());
    }

    @Test
    void closingCancelsThePendingCheckSoNothingKeepsTheWatchdogUntilItsTimeout() throws InterruptedException {
        // a call that is not streamed has a watchdog for the request timeout, 10 minutes by default: before, a
        // finished call's check stayed scheduled, and kept the watchdog and its body, until then
        IdleWatchdog watchdog = new IdleWatchdog(new Body(), Duration.ofMinutes(10));
        WeakReference<IdleWatchdog> reference = new WeakReference<>(watchdog);
        watchdog.close();
        watchdog = null;

        for (int i = 0; i < 50 && reference.get() != null; i++) {
            System.gc();
            Thread.sleep(20);
        }
        assertNull(reference.get(), "the closed watchdog is still reachable");
    }
}
