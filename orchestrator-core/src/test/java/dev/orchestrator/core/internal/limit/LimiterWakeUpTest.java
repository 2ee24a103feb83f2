package dev.orchestrator.core.internal.limit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.RateLimits;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** A blocked thread is admitted by the very call that makes room for it, not by a later poll. */
class LimiterWakeUpTest {

    @Test
    void raisingTheLimitAdmitsAWaitingThreadAtOnce() throws InterruptedException {
        CountDownLatch bothQueued = new CountDownLatch(2);
        LimiterListener listener = new LimiterListener() {
            @Override
            public void onQueued(LimiterKey key, Priority priority, int waiting, boolean paused) {
                bothQueued.countDown();
            }
        };
        AimdLimiter limiter = new AimdLimiter(new LimiterKey("test", "model", "k"),
                LimiterSettings.builder().initialLimit(2.9).build(), new ManualTime(), listener,
                new SplittableRandom(1));
        Permit first = limiter.acquire(Priority.WORKER).join();
        limiter.acquire(Priority.WORKER).join();
        CompletableFuture<Permit> queuedHere = limiter.acquire(Priority.WORKER);

        AtomicReference<Permit> admitted = new AtomicReference<>();
        CountDownLatch threadAdmitted = new CountDownLatch(1);
        Thread waiter = Thread.ofPlatform().name("waiter").start(() -> {
            admitted.set(limiter.acquire(Priority.WORKER).join());
            threadAdmitted.countDown();
        });
        assertTrue(bothQueued.await(30, TimeUnit.SECONDS), "the waiter thread never queued");
        assertEquals(new LimiterState(2.9, Optional.empty(), 2, 2), limiter.state());

        // frees one slot (for the first waiter) and lifts L from 2.9 to 3.24: the second slot is the thread's
        first.success(RateLimits.UNKNOWN);

        LimiterState after = limiter.state();
        assertEquals(3, after.inFlight(), "both waiters hold permits as soon as success() returns");
        assertEquals(0, after.waiting());
        assertTrue(queuedHere.isDone());
        assertTrue(threadAdmitted.await(30, TimeUnit.SECONDS), "the waiting thread was not woken");
        waiter.join();
        assertTrue(admitted.get() != null);
    }
}
