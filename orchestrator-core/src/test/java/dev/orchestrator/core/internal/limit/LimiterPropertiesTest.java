package dev.orchestrator.core.internal.limit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.orchestrator.api.RateLimits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Rules that hold for every sequence of arrivals, outcomes, cancellations and time passing. */
class LimiterPropertiesTest {

    @Test
    void limitStaysInBoundsNoOneWaitsWhileThereIsRoomUnlessPacedAndNoPermitLeaks() {
        qt().withExamples(300).forAll(lists().of(integers().between(0, 6)).ofSizeBetween(1, 300))
                .checkAssert(LimiterPropertiesTest::run);
    }

    private static void run(List<Integer> operations) {
        ManualTime time = new ManualTime();
        LimiterSettings settings = LimiterSettings.builder().initialLimit(4).limitBounds(2, 12).build();
        AimdLimiter limiter = new AimdLimiter(new LimiterKey("p", "m", "k"), settings, time,
                LimiterListener.NONE, new SplittableRandom(operations.size()));
        List<CompletableFuture<Permit>> calls = new ArrayList<>();
        List<Permit> held = new ArrayList<>();
        for (int op : operations) {
            collectAdmitted(calls, held);
            switch (op) {
                case 0 -> calls.add(limiter.acquire(Priority.WORKER));
                case 1 -> calls.add(limiter.acquire(Priority.LEAD, Duration.ofSeconds(3)));
                case 2 -> release(held, p -> p.success(RateLimits.UNKNOWN));
                case 3 -> release(held, p -> p.dropped(DropCause.RATE_LIMITED,
                        Optional.of(Duration.ofSeconds(held.size() % 3)), RateLimits.UNKNOWN));
                case 4 -> release(held, Permit::ignored);
                case 5 -> time.advance(Duration.ofMillis(700));
                default -> calls.stream().filter(c -> !c.isDone()).findFirst().ifPresent(c -> c.cancel(false));
            }
            LimiterState state = limiter.state();
            assertTrue(state.limit() >= 2 && state.limit() <= 12, "limit out of bounds: " + state);
            if (state.waiting() > 0 && state.pausedUntil().isEmpty()) {
                // the pacer may hold callers back while there is room, but only with a wake-up scheduled for them
                assertTrue(state.inFlight() >= (int) state.limit() || limiter.pacing(),
                        "callers wait while there is room: " + state);
            }
        }
        calls.stream().filter(c -> !c.isDone()).forEach(c -> c.cancel(false));
        collectAdmitted(calls, held);
        held.forEach(Permit::ignored);
        assertEquals(0, limiter.state().inFlight(), "a permit leaked");
        assertEquals(0, limiter.state().waiting(), "a waiter was left behind");
    }

    private static void collectAdmitted(List<CompletableFuture<Permit>> calls, List<Permit> held) {
        calls.removeIf(call -> {
            if (call.isDone() && !call.isCompletedExceptionally()) {
                held.add(call.join());
            }
            return call.isDone();
        });
    }

    private static void release(List<Permit> held, java.util.function.Consumer<Permit> outcome) {
        if (!held.isEmpty()) {
            outcome.accept(held.removeFirst());
        }
    }
}
