package dev.orchestrator.core.internal.limit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.orchestrator.api.RateLimits;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The rate half of admission: sends are spaced for the request and token rates the provider's answers reveal. */
class PacerTest {

    private static final LimiterKey KEY = new LimiterKey("test", "model", "key-1");
    private static final Duration LONG = Duration.ofHours(1);

    private final ManualTime time = new ManualTime();
    private final List<String> waits = new ArrayList<>();
    private final List<PacedRates> told = new ArrayList<>();

    private AimdLimiter limiter() {
        LimiterSettings settings = LimiterSettings.builder().initialLimit(64).limitBounds(1, 64)
                .pauseJitter(0, Duration.ZERO).reserve(0, 0).build();
        return new AimdLimiter(KEY, settings, time, new LimiterListener() {
            @Override
            public void onWaiting(LimiterKey key, PauseCause cause, Instant until, int queued) {
                waits.add(cause + " " + Duration.between(time.instant(), until).toMillis() + " ms, " + queued
                        + " queued");
            }

            @Override
            public void onRatesLearned(LimiterKey key, PacedRates rates) {
                told.add(rates);
            }
        }, new SplittableRandom(1));
    }

    private static RateLimits limits(long requestsPerMinute, long tokensPerMinute) {
        return new RateLimits(OptionalLong.empty(), OptionalLong.empty(), Optional.empty(), Optional.empty(),
                OptionalLong.of(requestsPerMinute), OptionalLong.of(tokensPerMinute));
    }

    /** Sends one call at once and answers it with {@code rateLimits}, so that the pacer learns them. */
    private static void teach(AimdLimiter limiter, RateLimits rateLimits) {
        Permit permit = limiter.acquire(Priority.WORKER, 0, LONG).join();
        assertTrue(permit.startSend());
        permit.success(rateLimits);
    }

    @Test
    void aLearnedRequestRateSpacesSendsWithAScheduledWakeUp() {
        AimdLimiter limiter = limiter();
        teach(limiter, limits(60, 1_000_000));
        // the bucket holds a minute's worth, then refills one a second
        List<CompletableFuture<Permit>> calls = new ArrayList<>();
        for (int i = 0; i < 63; i++) {
            calls.add(limiter.acquire(Priority.WORKER, 0, LONG));
        }
        assertEquals(60, calls.stream().filter(CompletableFuture::isDone).count());
        assertEquals("PACED_REQUESTS 1000 ms, 1 queued", waits.getFirst());
        time.advance(Duration.ofMillis(999));
        assertEquals(60, calls.stream().filter(CompletableFuture::isDone).count());
        time.advance(Duration.ofMillis(1));
        assertEquals(61, calls.stream().filter(CompletableFuture::isDone).count());
        time.advance(Duration.ofSeconds(1));
        assertEquals(62, calls.stream().filter(CompletableFuture::isDone).count());
    }

    @Test
    void aLearnedTokenRateHoldsBackALargeCallUntilItsTokensAreBack() {
        AimdLimiter limiter = limiter();
        teach(limiter, limits(10_000, 60_000));
        Permit big = limiter.acquire(Priority.WORKER, 50_000, LONG).join();
        CompletableFuture<Permit> next = limiter.acquire(Priority.WORKER, 20_000, LONG);
        assertFalse(next.isDone());
        assertTrue(waits.getLast().startsWith("PACED_TOKENS 10000 ms"), waits.toString());
        // the big call used only 30,000 tokens: the 20,000 it did not use come back at once
        assertTrue(big.startSend());
        big.success(RateLimits.UNKNOWN, 30_000);
        assertTrue(next.isDone(), "the usage correction made room for the next call");
    }

    @Test
    void leadCallsPassThePacerBeforeWorkers() {
        AimdLimiter limiter = limiter();
        teach(limiter, limits(1, 1_000_000));
        limiter.acquire(Priority.WORKER, 0, LONG).join();
        CompletableFuture<Permit> worker = limiter.acquire(Priority.WORKER, 0, LONG);
        CompletableFuture<Permit> lead = limiter.acquire(Priority.LEAD, 0, LONG);
        time.advance(Duration.ofSeconds(60));
        assertTrue(lead.isDone());
        assertFalse(worker.isDone());
        time.advance(Duration.ofSeconds(60));
        assertTrue(worker.isDone());
    }

    @Test
    void withoutHeadersTheRateIsLearnedFromTheSpacingOf429s() {
        AimdLimiter limiter = limiter();
        HeaderlessServer server = new HeaderlessServer(limiter);
        for (int caller = 0; caller < 6; caller++) {
            server.call();
        }
        time.advance(Duration.ofMinutes(5));
        // one call a second could be served: nearly all of it is, with few refusals once the rate is known
        assertTrue(server.accepted >= 240, server.accepted + " accepted, " + server.refused + " refused");
        assertTrue(server.refused <= 0.10 * (server.accepted + server.refused),
                server.accepted + " accepted, " + server.refused + " refused");
        assertEquals(0, limiter.sends().startedInKnownPause());
    }

    /**
     * A server that accepts one call a second (a bucket of one) and refuses the rest with a whole-second
     * retry-after and no other header; six callers call it in a closed loop, 100 ms a call, on virtual time.
     */
    private final class HeaderlessServer {
        final AimdLimiter limiter;
        long tokenAt = -1;
        int accepted;
        int refused;

        HeaderlessServer(AimdLimiter limiter) {
            this.limiter = limiter;
        }

        void call() {
            limiter.acquire(Priority.WORKER, 0, LONG).thenAccept(permit -> {
                if (!permit.startSend()) {
                    permit.ignored();
                    call();
                    return;
                }
                long now = time.elapsed().toNanos();
                boolean ok = tokenAt < 0 || now >= tokenAt;
                if (ok) {
                    tokenAt = Math.max(now, tokenAt) + 1_000_000_000L;
                }
                long wait = Math.max(1, (long) Math.ceil((tokenAt - now) / 1e9));
                time.schedule(Duration.ofMillis(100), () -> {
                    if (ok) {
                        accepted++;
                        permit.success(RateLimits.UNKNOWN);
                    } else {
                        refused++;
                        permit.dropped(DropCause.RATE_LIMITED, Optional.of(Duration.ofSeconds(wait)),
                                RateLimits.UNKNOWN);
                    }
                    call();
                });
            });
        }
    }

    @Test
    void aPermitWhoseHolderLearnsOfAPauseBeforeSendingIsHeldBack() {
        AimdLimiter limiter = limiter();
        Permit first = limiter.acquire(Priority.WORKER, 0, LONG).join();
        Permit second = limiter.acquire(Priority.WORKER, 0, LONG).join();
        assertTrue(first.startSend());
        first.dropped(DropCause.RATE_LIMITED, Optional.of(Duration.ofSeconds(5)), RateLimits.UNKNOWN);
        assertFalse(second.startSend(), "the pause was known before the second call went out");
        second.ignored();
        CompletableFuture<Permit> again = limiter.acquire(Priority.WORKER, 0, LONG);
        assertFalse(again.isDone());
        time.advance(Duration.ofSeconds(5));
        assertTrue(again.join().startSend());
        assertEquals(new SendCounts(2, 1, 0, 0), limiter.sends());
    }

    @Test
    void sendsAlreadyOnTheirWayWhenAPauseIsAnnouncedAreCountedApart() {
        AimdLimiter limiter = limiter();
        Permit first = limiter.acquire(Priority.WORKER, 0, LONG).join();
        Permit second = limiter.acquire(Priority.WORKER, 0, LONG).join();
        assertTrue(first.startSend());
        assertTrue(second.startSend());
        first.dropped(DropCause.RATE_LIMITED, Optional.of(Duration.ofSeconds(5)), RateLimits.UNKNOWN);
        second.dropped(DropCause.RATE_LIMITED, Optional.of(Duration.ofSeconds(5)), RateLimits.UNKNOWN);
        SendCounts counts = limiter.sends();
        assertEquals(1, counts.inFlightAtPause(), counts.toString());
        assertEquals(0, counts.startedInKnownPause(), counts.toString());
    }

    /** Sends one call and has it refused with {@code retryAfter} and no headers, so that the pacer learns a rate. */
    private void refuse(AimdLimiter limiter, Duration retryAfter) {
        Permit permit = admitted(limiter);
        assertTrue(permit.startSend());
        permit.dropped(DropCause.RATE_LIMITED, Optional.of(retryAfter), RateLimits.UNKNOWN);
    }

    /** A permit, as soon as the pacer lets one go, virtual time moving on meanwhile. */
    private Permit admitted(AimdLimiter limiter) {
        CompletableFuture<Permit> next = limiter.acquire(Priority.WORKER, 0, LONG);
        while (!next.isDone()) {
            time.advance(Duration.ofMillis(50));
        }
        return next.join();
    }

    @Test
    void aRateLearnedFromARefusalIsToldAndALimiterRestoredFromItSpacesSendsFromTheFirst() {
        AimdLimiter learned = limiter();
        refuse(learned, Duration.ofSeconds(2));
        // one more request fits in 2 s: a little below 30 a minute
        assertEquals(1, told.size(), told.toString());
        assertEquals(27, told.getFirst().requestsPerMinute(), 1e-9);
        assertEquals(0, told.getFirst().tokensPerMinute());
        assertEquals(told.getFirst(), learned.pacedRates());

        AimdLimiter restored = limiter();
        restored.restore(told.getFirst());
        AimdLimiter fresh = limiter();
        List<CompletableFuture<Permit>> paced = new ArrayList<>();
        List<CompletableFuture<Permit>> unpaced = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            paced.add(restored.acquire(Priority.WORKER, 0, LONG));
            unpaced.add(fresh.acquire(Priority.WORKER, 0, LONG));
        }

        assertTrue(unpaced.stream().allMatch(CompletableFuture::isDone), "a limiter that knows no rate");
        assertEquals(List.of(true, false, false), paced.stream().map(CompletableFuture::isDone).toList());
        time.advance(Duration.ofMillis(2_223)); // 60 s / 27
        assertEquals(List.of(true, true, false), paced.stream().map(CompletableFuture::isDone).toList());
    }

    @Test
    void aRestoredRateDoesNotReplaceOneTheLimiterLearnedItself() {
        AimdLimiter limiter = limiter();
        refuse(limiter, Duration.ofSeconds(2));
        PacedRates own = limiter.pacedRates();

        limiter.restore(new PacedRates(600, 90_000));

        assertEquals(own.requestsPerMinute(), limiter.pacedRates().requestsPerMinute());
        assertEquals(90_000, limiter.pacedRates().tokensPerMinute(), "the token rate it did not know is taken");
    }

    @Test
    void theRateProbedAboveWhatTheProviderAcceptedIsNotToldButTheNextRefusalIs() {
        AimdLimiter limiter = limiter();
        refuse(limiter, Duration.ofSeconds(1));
        time.advance(Duration.ofSeconds(1));
        // every call waits for the pacer, so every success probes the rate upwards
        for (int calls = 0; calls < 60; calls++) {
            Permit permit = admitted(limiter);
            assertTrue(permit.startSend());
            permit.success(RateLimits.UNKNOWN);
        }
        assertEquals(1, told.size(), "probing tells nothing: " + told);
        assertEquals(54, limiter.pacedRates().requestsPerMinute(), 1e-9, "a little below one a second");

        refuse(limiter, Duration.ofSeconds(1));

        assertEquals(2, told.size(), told.toString());
        assertTrue(told.getLast().requestsPerMinute() > 54 * 1.05,
                "the rate accepted since the first refusal, probed up from it: " + told.getLast());
        assertEquals(told.getLast(), limiter.pacedRates());
    }

    @Test
    void aPermitGrantedBeforeAPauseThatHasSinceEndedSendsAndIsNotCountedAsSentInIt() {
        AimdLimiter limiter = limiter();
        Permit first = limiter.acquire(Priority.WORKER, 0, LONG).join();
        Permit second = limiter.acquire(Priority.WORKER, 0, LONG).join();
        assertTrue(first.startSend());
        first.dropped(DropCause.OVERLOADED, Optional.of(Duration.ofSeconds(5)), RateLimits.UNKNOWN);
        time.advance(Duration.ofSeconds(5));
        assertTrue(second.startSend(), "the pause is over");
        second.success(RateLimits.UNKNOWN);
        assertEquals(new SendCounts(2, 0, 0, 0), limiter.sends());
    }

    @Test
    void aSendStartedAfterAPauseEndedIsOnItsWayWhenTheNextPauseIsAnnounced() {
        AimdLimiter limiter = limiter();
        Permit teacher = limiter.acquire(Priority.WORKER, 0, LONG).join();
        assertTrue(teacher.startSend());
        teacher.dropped(DropCause.OVERLOADED, Optional.of(Duration.ofSeconds(5)), RateLimits.UNKNOWN);
        time.advance(Duration.ofSeconds(6));
        // an overload pauses without teaching the pacer a rate, so both permits are granted at once; granted after
        // the pause ended, their sends take the grant's time, without reading the clock
        Permit granted = limiter.acquire(Priority.WORKER, 0, LONG).join();
        Permit refused = limiter.acquire(Priority.WORKER, 0, LONG).join();
        time.advance(Duration.ofSeconds(1));
        assertTrue(granted.startSend());
        assertTrue(refused.startSend());
        refused.dropped(DropCause.OVERLOADED, Optional.of(Duration.ofSeconds(5)), RateLimits.UNKNOWN);
        granted.dropped(DropCause.OVERLOADED, Optional.of(Duration.ofSeconds(5)), RateLimits.UNKNOWN);
        assertEquals(new SendCounts(3, 0, 1, 0), limiter.sends());
    }

    /**
     * For every sequence of arrivals (of any token size), answers and time passing: once the pacer has learned a
     * bucket of R requests and T tokens a minute, no window of any length w carries more than R + R·w/60 s sends
     * or T + T·w/60 s estimated tokens.
     */
    @Test
    void thePacerNeverOverrunsALearnedBucketOverAnyWindow() {
        qt().withExamples(200).forAll(lists().of(integers().between(0, 9)).ofSizeBetween(1, 400))
                .checkAssert(this::neverOverruns);
    }

    private void neverOverruns(List<Integer> operations) {
        ManualTime clock = new ManualTime();
        long requestsPerMinute = 30;
        long tokensPerMinute = 20_000;
        AimdLimiter limiter = new AimdLimiter(KEY, LimiterSettings.builder().initialLimit(8).limitBounds(1, 8)
                .pauseJitter(0, Duration.ZERO).build(), clock, LimiterListener.NONE, new SplittableRandom(1));
        Permit teacher = limiter.acquire(Priority.WORKER, 0, LONG).join();
        teacher.startSend();
        teacher.success(limits(requestsPerMinute, tokensPerMinute));
        List<CompletableFuture<Permit>> waiting = new ArrayList<>();
        List<Permit> held = new ArrayList<>();
        List<long[]> sends = new ArrayList<>();
        for (int op : operations) {
            waiting.removeIf(call -> {
                if (call.isDone()) {
                    Permit permit = call.join();
                    if (permit.startSend()) {
                        // the pacer takes from its buckets when it grants, so windows are measured between grants
                        sends.add(new long[] {permit.grantedAtNanos(), permit.tokens()});
                        held.add(permit);
                    } else {
                        permit.ignored();
                    }
                }
                return call.isDone();
            });
            switch (op) {
                case 0, 1, 2 -> waiting.add(limiter.acquire(Priority.WORKER, 100 + op * 1_500, LONG));
                case 3 -> waiting.add(limiter.acquire(Priority.LEAD, 4_000, LONG));
                case 4, 5 -> {
                    if (!held.isEmpty()) {
                        held.removeFirst().success(RateLimits.UNKNOWN);
                    }
                }
                case 6 -> {
                    if (!held.isEmpty()) {
                        held.removeFirst().dropped(DropCause.RATE_LIMITED, Optional.of(Duration.ofSeconds(1)),
                                RateLimits.UNKNOWN);
                    }
                }
                case 7 -> clock.advance(Duration.ofMillis(300));
                default -> clock.advance(Duration.ofSeconds(3));
            }
        }
        sends.sort(java.util.Comparator.comparingLong(send -> send[0]));
        for (int i = 0; i < sends.size(); i++) {
            long requests = 0;
            long tokens = 0;
            for (int j = i; j < sends.size(); j++) {
                requests++;
                tokens += sends.get(j)[1];
                double minutes = (sends.get(j)[0] - sends.get(i)[0]) / 60e9;
                assertTrue(requests <= requestsPerMinute * (1 + minutes) + 1e-6,
                        requests + " sends in " + minutes * 60 + " s");
                assertTrue(tokens <= tokensPerMinute * (1 + minutes) + 1e-6,
                        tokens + " tokens in " + minutes * 60 + " s");
            }
        }
    }
}
