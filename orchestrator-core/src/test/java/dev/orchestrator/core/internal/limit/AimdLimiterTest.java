package dev.orchestrator.core.internal.limit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.RateLimits;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AimdLimiterTest {

    private static final LimiterKey KEY = new LimiterKey("test", "model", "key-1");
    private static final Optional<Duration> NO_RETRY_AFTER = Optional.empty();

    private final ManualTime time = new ManualTime();

    private AimdLimiter limiter(LimiterSettings.Builder settings) {
        return new AimdLimiter(KEY, settings.build(), time, LimiterListener.NONE, new SplittableRandom(1));
    }

    private static LimiterSettings.Builder noJitter() {
        return LimiterSettings.builder().pauseJitter(0, Duration.ZERO);
    }

    private static Permit admitted(CompletableFuture<Permit> future) {
        assertTrue(future.isDone(), "expected the caller to be admitted at once");
        return future.join();
    }

    @Test
    void startsAtTheInitialLimitAndQueuesTheNextCaller() {
        AimdLimiter limiter = limiter(LimiterSettings.builder());
        for (int i = 0; i < 4; i++) {
            admitted(limiter.acquire(Priority.WORKER));
        }
        assertFalse(limiter.acquire(Priority.WORKER).isDone());
        assertEquals(new LimiterState(4, Optional.empty(), 4, 1), limiter.state());
    }

    @Test
    void successWithAtLeastHalfTheLimitInFlightAddsOneOverL() {
        AimdLimiter limiter = limiter(LimiterSettings.builder());
        Permit first = admitted(limiter.acquire(Priority.WORKER));
        admitted(limiter.acquire(Priority.WORKER));
        first.success(RateLimits.UNKNOWN);
        assertEquals(4.25, limiter.state().limit(), 1e-12);
    }

    @Test
    void successWithFewCallsInFlightLeavesTheLimit() {
        AimdLimiter limiter = limiter(LimiterSettings.builder());
        admitted(limiter.acquire(Priority.WORKER)).success(RateLimits.UNKNOWN);
        assertEquals(4, limiter.state().limit(), 1e-12);
    }

    @Test
    void limitGrowsByAboutOnePerLimitsWorthOfSuccessesAndStopsAtTheMax() {
        AimdLimiter limiter = limiter(LimiterSettings.builder().initialLimit(4).limitBounds(1, 6));
        for (int round = 0; round < 50; round++) {
            List<Permit> permits = new ArrayList<>();
            int capacity = (int) limiter.state().limit();
            for (int i = 0; i < capacity; i++) {
                permits.add(admitted(limiter.acquire(Priority.WORKER)));
            }
            permits.forEach(p -> p.success(RateLimits.UNKNOWN));
        }
        assertEquals(6, limiter.state().limit(), 1e-12);
    }

    @Test
    void dropCutsTheLimitToBetaTimesItButNotBelowTheMin() {
        AimdLimiter limiter = limiter(LimiterSettings.builder().initialLimit(10).limitBounds(2, 100)
                .minCutWindow(Duration.ZERO));
        admitted(limiter.acquire(Priority.WORKER)).dropped(DropCause.RATE_LIMITED, NO_RETRY_AFTER,
                RateLimits.UNKNOWN);
        assertEquals(7, limiter.state().limit(), 1e-12);
        for (int i = 0; i < 10; i++) {
            time.advance(Duration.ofMillis(1));
            admitted(limiter.acquire(Priority.WORKER)).dropped(DropCause.OVERLOADED, NO_RETRY_AFTER,
                    RateLimits.UNKNOWN);
        }
        assertEquals(2, limiter.state().limit(), 1e-12);
    }

    @Test
    void dropsWithinOneMedianLatencyCutOnlyOnce() {
        AimdLimiter limiter = limiter(LimiterSettings.builder().initialLimit(20).minCutWindow(Duration.ZERO));
        // three calls of 10 s each make the median latency 10 s
        for (int i = 0; i < 3; i++) {
            Permit permit = admitted(limiter.acquire(Priority.WORKER));
            time.advance(Duration.ofSeconds(10));
            permit.success(RateLimits.UNKNOWN);
        }
        List<Permit> inFlight = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            inFlight.add(admitted(limiter.acquire(Priority.WORKER)));
        }
        inFlight.get(0).dropped(DropCause.RATE_LIMITED, NO_RETRY_AFTER, RateLimits.UNKNOWN);
        assertEquals(14, limiter.state().limit(), 1e-12);
        time.advance(Duration.ofSeconds(9));
        inFlight.get(1).dropped(DropCause.RATE_LIMITED, NO_RETRY_AFTER, RateLimits.UNKNOWN);
        inFlight.get(2).dropped(DropCause.DEADLINE_MISSED, NO_RETRY_AFTER, RateLimits.UNKNOWN);
        assertEquals(14, limiter.state().limit(), 1e-12, "drops within the window must not cut again");
        time.advance(Duration.ofSeconds(1));
        inFlight.get(3).dropped(DropCause.RATE_LIMITED, NO_RETRY_AFTER, RateLimits.UNKNOWN);
        assertEquals(9.8, limiter.state().limit(), 1e-9);
    }

    @Test
    void aRetryAfterLongerThanTheLatencyWidensTheCutWindow() {
        AimdLimiter limiter = limiter(noJitter().initialLimit(20).minCutWindow(Duration.ZERO));
        List<Permit> inFlight = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            inFlight.add(admitted(limiter.acquire(Priority.WORKER)));
        }
        inFlight.get(0).dropped(DropCause.RATE_LIMITED, Optional.of(Duration.ofSeconds(30)), RateLimits.UNKNOWN);
        time.advance(Duration.ofSeconds(29));
        inFlight.get(1).dropped(DropCause.RATE_LIMITED, NO_RETRY_AFTER, RateLimits.UNKNOWN);
        assertEquals(14, limiter.state().limit(), 1e-12);
        time.advance(Duration.ofSeconds(1));
        inFlight.get(2).dropped(DropCause.RATE_LIMITED, NO_RETRY_AFTER, RateLimits.UNKNOWN);
        assertEquals(9.8, limiter.state().limit(), 1e-9);
    }

    @Test
    void ignoredOutcomesLeaveTheLimit() {
        AimdLimiter limiter = limiter(LimiterSettings.builder());
        for (int i = 0; i < 4; i++) {
            admitted(limiter.acquire(Priority.WORKER)).ignored();
        }
        assertEquals(new LimiterState(4, Optional.empty(), 0, 0), limiter.state());
    }

    @Test
    void retryAfterPausesEveryCallerUntilItEndsThenAdmitsThemAtOnce() {
        AimdLimiter limiter = limiter(noJitter().initialLimit(8));
        // a 529: a 429 would also teach the pacer a rate, which spaces the callers after the pause (PacerTest)
        admitted(limiter.acquire(Priority.WORKER)).dropped(DropCause.OVERLOADED,
                Optional.of(Duration.ofSeconds(10)), RateLimits.UNKNOWN);
        assertEquals(Optional.of(ManualTime.START.plusSeconds(10)), limiter.state().pausedUntil());
        List<CompletableFuture<Permit>> callers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            callers.add(limiter.acquire(i == 0 ? Priority.LEAD : Priority.WORKER));
        }
        time.advance(Duration.ofMillis(9_999));
        assertTrue(callers.stream().noneMatch(CompletableFuture::isDone), "nobody may be admitted in a pause");
        assertEquals(0, limiter.state().inFlight());
        time.advance(Duration.ofMillis(1));
        assertTrue(callers.stream().allMatch(CompletableFuture::isDone), "the pause's end admits everyone");
        assertEquals(new LimiterState(5.6, Optional.empty(), 4, 0), limiter.state());
    }

    @Test
    void aPauseIsToldBeforeTheCutThatCameWithItSoASlowListenerStillHearsOfItWhileItLasts() {
        List<String> told = new ArrayList<>();
        LimiterListener slow = new LimiterListener() {
            @Override
            public void onLimitChanged(LimiterKey key, double oldLimit, double newLimit) {
                told.add("cut");
                time.advance(Duration.ofSeconds(2)); // a mission waits this long for a busy disk to commit the event
            }

            @Override
            public void onPaused(LimiterKey key, Instant until, PauseCause cause) {
                told.add(until.isAfter(time.instant()) ? "pause" : "pause, already over");
            }
        };
        AimdLimiter limiter = new AimdLimiter(KEY, noJitter().initialLimit(8).build(), time, slow,
                new SplittableRandom(1));

        admitted(limiter.acquire(Priority.WORKER)).dropped(DropCause.OVERLOADED, Optional.of(Duration.ofSeconds(1)),
                RateLimits.UNKNOWN);

        assertEquals(List.of("pause", "cut"), told);
    }

    @Test
    void pauseJitterAddsAtMostItsShare() {
        for (int seed = 0; seed < 20; seed++) {
            AimdLimiter limiter = new AimdLimiter(KEY, LimiterSettings.builder()
                    .pauseJitter(0.1, Duration.ofSeconds(1)).build(), time, LimiterListener.NONE,
                    new SplittableRandom(seed));
            admitted(limiter.acquire(Priority.WORKER)).dropped(DropCause.RATE_LIMITED,
                    Optional.of(Duration.ofSeconds(5)), RateLimits.UNKNOWN);
            Duration pause = Duration.between(time.instant(), limiter.state().pausedUntil().orElseThrow());
            assertTrue(pause.compareTo(Duration.ofSeconds(5)) >= 0
                    && pause.compareTo(Duration.ofMillis(5_500)) <= 0, "pause was " + pause);
        }
    }

    @Test
    void quotaHeadersNearZeroPauseBeforeA429() {
        AimdLimiter limiter = limiter(noJitter());
        RateLimits nearlyUsed = new RateLimits(OptionalLong.of(1), OptionalLong.of(50_000),
                Optional.of(Duration.ofSeconds(3)), Optional.of(Duration.ofSeconds(1)));
        admitted(limiter.acquire(Priority.WORKER)).success(nearlyUsed);
        CompletableFuture<Permit> next = limiter.acquire(Priority.WORKER);
        time.advance(Duration.ofMillis(2_999));
        assertFalse(next.isDone());
        time.advance(Duration.ofMillis(1));
        assertTrue(next.isDone());
    }

    @Test
    void aNearlyUsedQuotaPausesOnlyUntilTheReserveIsBackNotUntilTheWholeQuotaIs() {
        AimdLimiter limiter = limiter(noJitter());
        RateLimits fresh = new RateLimits(OptionalLong.of(59), OptionalLong.empty(),
                Optional.of(Duration.ofSeconds(1)), Optional.empty());
        admitted(limiter.acquire(Priority.WORKER)).success(fresh);
        // 60 a minute: 58 s until all are back, one request back every second
        RateLimits nearlyUsed = new RateLimits(OptionalLong.of(0), OptionalLong.empty(),
                Optional.of(Duration.ofSeconds(59)), Optional.empty());
        admitted(limiter.acquire(Priority.WORKER)).success(nearlyUsed);
        Duration pause = Duration.between(time.instant(), limiter.state().pausedUntil().orElseThrow());
        assertEquals(Duration.ofSeconds(2), pause, "until reserve (1) + 1 requests are back");
    }

    @Test
    void quotaHeadersWithRoomLeftDoNotPause() {
        AimdLimiter limiter = limiter(noJitter());
        RateLimits plenty = new RateLimits(OptionalLong.of(2), OptionalLong.of(1),
                Optional.of(Duration.ofSeconds(3)), Optional.of(Duration.ofSeconds(3)));
        admitted(limiter.acquire(Priority.WORKER)).success(plenty);
        assertEquals(Optional.empty(), limiter.state().pausedUntil());
    }

    @Test
    void waitersAreAdmittedInArrivalOrder() {
        AimdLimiter limiter = limiter(LimiterSettings.builder().initialLimit(1));
        Permit holder = admitted(limiter.acquire(Priority.WORKER));
        List<CompletableFuture<Permit>> waiters = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            waiters.add(limiter.acquire(Priority.WORKER));
        }
        Permit current = holder;
        for (int i = 0; i < 5; i++) {
            current.ignored();
            for (int j = 0; j < 5; j++) {
                assertEquals(j <= i, waiters.get(j).isDone(), "after " + (i + 1) + " releases, waiter " + j);
            }
            current = waiters.get(i).join();
        }
    }

    @Test
    void aNewcomerDoesNotOvertakeAWaiter() {
        AimdLimiter limiter = limiter(LimiterSettings.builder().initialLimit(1));
        Permit holder = admitted(limiter.acquire(Priority.WORKER));
        CompletableFuture<Permit> waiter = limiter.acquire(Priority.WORKER);
        holder.ignored();
        CompletableFuture<Permit> newcomer = limiter.acquire(Priority.WORKER);
        assertTrue(waiter.isDone());
        assertFalse(newcomer.isDone());
    }

    @Test
    void leadCallsAreAdmittedBeforeWorkersThatWaitedLonger() {
        AimdLimiter limiter = limiter(LimiterSettings.builder().initialLimit(1));
        Permit holder = admitted(limiter.acquire(Priority.WORKER));
        CompletableFuture<Permit> worker = limiter.acquire(Priority.WORKER);
        CompletableFuture<Permit> lead = limiter.acquire(Priority.LEAD);
        holder.ignored();
        assertTrue(lead.isDone());
        assertFalse(worker.isDone());
    }

    @Test
    void leadShareKeepsRoomForLeadCallsWhenWorkersFillTheRest() {
        AimdLimiter limiter = limiter(LimiterSettings.builder().initialLimit(4).leadShare(0.25));
        for (int i = 0; i < 3; i++) {
            admitted(limiter.acquire(Priority.WORKER));
        }
        assertFalse(limiter.acquire(Priority.WORKER).isDone());
        admitted(limiter.acquire(Priority.LEAD));
    }

    @Test
    void aWaiterThatTimesOutFailsAndLeavesNoPermitBehind() {
        AimdLimiter limiter = limiter(LimiterSettings.builder().initialLimit(1));
        Permit holder = admitted(limiter.acquire(Priority.WORKER));
        CompletableFuture<Permit> waiter = limiter.acquire(Priority.WORKER, Duration.ofSeconds(5));
        time.advance(Duration.ofSeconds(5));
        CompletionException failure = assertThrows(CompletionException.class, waiter::join);
        assertInstanceOf(AdmissionTimeoutException.class, failure.getCause());
        assertTrue(failure.getCause().getMessage().contains("lower the number of parallel workers"));
        holder.ignored();
        assertEquals(new LimiterState(1, Optional.empty(), 0, 0), limiter.state());
        admitted(limiter.acquire(Priority.WORKER));
    }

    @Test
    void anAdmittedWaitersTimeoutIsCalledOff() {
        AimdLimiter limiter = limiter(LimiterSettings.builder().initialLimit(1));
        Permit holder = admitted(limiter.acquire(Priority.WORKER));
        CompletableFuture<Permit> waiter = limiter.acquire(Priority.WORKER, Duration.ofSeconds(5));
        holder.ignored();
        time.advance(Duration.ofSeconds(60));
        assertFalse(waiter.isCompletedExceptionally());
        assertEquals(1, limiter.state().inFlight());
    }

    @Test
    void aCancelledWaiterLeavesNoPermitBehind() {
        AimdLimiter limiter = limiter(LimiterSettings.builder().initialLimit(1));
        Permit holder = admitted(limiter.acquire(Priority.WORKER));
        CompletableFuture<Permit> cancelled = limiter.acquire(Priority.WORKER);
        CompletableFuture<Permit> next = limiter.acquire(Priority.WORKER);
        assertTrue(cancelled.cancel(false));
        assertEquals(1, limiter.state().waiting());
        holder.ignored();
        assertTrue(next.isDone(), "the permit goes to the next waiter, not to the cancelled one");
        next.join().ignored();
        assertEquals(new LimiterState(1, Optional.empty(), 0, 0), limiter.state());
    }

    @Test
    void aPermitCanBeReleasedOnlyOnce() {
        AimdLimiter limiter = limiter(LimiterSettings.builder());
        Permit permit = admitted(limiter.acquire(Priority.WORKER));
        permit.success(RateLimits.UNKNOWN);
        IllegalStateException twice = assertThrows(IllegalStateException.class, permit::ignored);
        assertTrue(twice.getMessage().contains("exactly once"));
        assertEquals(0, limiter.state().inFlight());
    }

    @Test
    void aPermitReleasedByTwoThreadsAtOnceIsReleasedOnce() throws InterruptedException {
        AimdLimiter limiter = limiter(LimiterSettings.builder());
        for (int round = 0; round < 200; round++) {
            Permit permit = admitted(limiter.acquire(Priority.WORKER));
            CountDownLatch go = new CountDownLatch(1);
            AtomicInteger refused = new AtomicInteger();
            List<Thread> releasers = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                releasers.add(Thread.ofPlatform().start(() -> {
                    try {
                        go.await();
                        permit.success(RateLimits.UNKNOWN);
                    } catch (IllegalStateException e) {
                        refused.incrementAndGet();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }));
            }
            go.countDown();
            for (Thread releaser : releasers) {
                releaser.join();
            }
            assertEquals(1, refused.get(), "round " + round);
            assertEquals(0, limiter.state().inFlight(), "round " + round);
        }
    }

    @Test
    void restoreContinuesFromAJournaledLimitAndPause() {
        AimdLimiter limiter = limiter(LimiterSettings.builder().limitBounds(1, 50));
        limiter.restore(new LimiterState(80, Optional.of(ManualTime.START.plusSeconds(2)), 0, 0));
        assertEquals(50, limiter.state().limit(), 1e-12);
        CompletableFuture<Permit> caller = limiter.acquire(Priority.WORKER);
        assertFalse(caller.isDone());
        time.advance(Duration.ofSeconds(2));
        assertTrue(caller.isDone());
    }

    @Test
    void invalidSettingsNameEveryProblem() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LimiterSettings.builder().limitBounds(0, 10).backoffRatio(1.5).build());
        assertTrue(e.getMessage().contains("minLimit must be at least 1, was 0"), e.getMessage());
        assertTrue(e.getMessage().contains("backoffRatio must be between 0 and 1"), e.getMessage());
    }
}
