package dev.orchestrator.core.internal.limit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.RateLimits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** A lease of a shared quota caps the pacer, and the limiter reports the demand the lease is split by. */
class QuotaLeaseTest {

    private static final Duration LONG = Duration.ofHours(1);

    private final ManualTime time = new ManualTime();

    private AimdLimiter limiter() {
        LimiterSettings settings = LimiterSettings.builder().initialLimit(64).limitBounds(1, 64)
                .pauseJitter(0, Duration.ZERO).reserve(0, 0).build();
        return new AimdLimiter(new LimiterKey("test", "model", "key-1"), settings, time, new LimiterListener() { },
                new SplittableRandom(1));
    }

    private static void teach(AimdLimiter limiter, long requestsPerMinute) {
        Permit permit = limiter.acquire(Priority.WORKER, 0, LONG).join();
        assertTrue(permit.startSend());
        permit.success(new RateLimits(OptionalLong.empty(), OptionalLong.empty(), Optional.empty(), Optional.empty(),
                OptionalLong.of(requestsPerMinute), OptionalLong.of(1_000_000)));
    }

    private static long admitted(List<CompletableFuture<Permit>> calls) {
        return calls.stream().filter(CompletableFuture::isDone).count();
    }

    @Test
    void aLeaseCapsTheLearnedRateAndTheBucketToItsShare() {
        AimdLimiter limiter = limiter();
        teach(limiter, 60);
        // a quarter of the key's 60 a minute: a bucket of 15, refilled one every 4 s
        limiter.lease(new PacedRates(15, 0));
        List<CompletableFuture<Permit>> calls = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            calls.add(limiter.acquire(Priority.WORKER, 0, LONG));
        }
        assertEquals(15, admitted(calls));
        time.advance(Duration.ofMillis(3_999));
        assertEquals(15, admitted(calls));
        time.advance(Duration.ofMillis(1));
        assertEquals(16, admitted(calls));
        assertEquals(new PacedRates(60, 1_000_000), limiter.quota(), "the key's whole quota, for the next lease");
    }

    @Test
    void liftingTheLeaseLetsHeldBackCallersGoAtTheLearnedRate() {
        AimdLimiter limiter = limiter();
        teach(limiter, 60);
        limiter.lease(new PacedRates(6, 0));
        List<CompletableFuture<Permit>> calls = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            calls.add(limiter.acquire(Priority.WORKER, 0, LONG));
        }
        assertEquals(6, admitted(calls));
        limiter.lease(PacedRates.UNKNOWN);
        time.advance(Duration.ofSeconds(4));
        // four seconds at the learned one a second, not the lease's one every ten
        assertEquals(10, admitted(calls));
    }

    @Test
    void aLeaseOfAQuotaThisProcessHasNotSeenYetSpacesItsFirstSends() {
        AimdLimiter limiter = limiter();
        limiter.lease(new PacedRates(60, 0));
        List<CompletableFuture<Permit>> calls = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            calls.add(limiter.acquire(Priority.WORKER, 0, LONG));
        }
        // a second's worth at once, then one a second
        assertEquals(1, admitted(calls));
        time.advance(Duration.ofSeconds(1));
        assertEquals(2, admitted(calls));
    }

    @Test
    void demandIsTheMeanNumberOfCallsInFlightOrWaitingSinceLastAsked() {
        AimdLimiter limiter = limiter();
        limiter.demand();
        Permit one = limiter.acquire(Priority.WORKER, 0, LONG).join();
        Permit two = limiter.acquire(Priority.WORKER, 0, LONG).join();
        time.advance(Duration.ofSeconds(5));
        one.ignored();
        two.ignored();
        time.advance(Duration.ofSeconds(5));
        // two callers for half the span
        assertEquals(1.0, limiter.demand().callers(), 1e-9);
        time.advance(Duration.ofSeconds(10));
        assertEquals(0.0, limiter.demand().callers(), 1e-9);
    }
}
