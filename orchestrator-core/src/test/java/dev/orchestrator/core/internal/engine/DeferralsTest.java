package dev.orchestrator.core.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.LlmException;
import dev.orchestrator.api.RateLimits;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class DeferralsTest {

    private final AtomicLong nanos = new AtomicLong();
    private final Deferrals deferrals = new Deferrals(nanos::get, Duration.ofHours(1));
    private final LlmException unavailable = new LlmException.Transient("HTTP 503", 503, null);

    @Test
    void eachFailureInARowWaitsTwiceAsLongUpToAMinuteAndASuccessStartsOver() {
        List<Duration> waits = IntStream.range(0, 10)
                .mapToObj(i -> deferrals.delay("t", unavailable)).toList();

        assertEquals(Duration.ofMillis(250), waits.getFirst());
        assertEquals(Duration.ofMillis(500), waits.get(1));
        assertEquals(FailingSpell.LONGEST, waits.getLast());
        deferrals.succeeded("t");
        assertEquals(Duration.ofMillis(250), deferrals.delay("t", unavailable));
        assertEquals(Duration.ofMillis(250), deferrals.delay("other", unavailable), "counted by task");
    }

    @Test
    void aTaskWhoseFailuresInARowWouldOutlastThePatienceGivesUpWithTheLastFailure() {
        Deferrals patient = new Deferrals(nanos::get, Duration.ofSeconds(10));
        Duration waited = Duration.ZERO;
        int failures = 0;
        LlmException.PatienceExhausted exhausted = null;
        while (exhausted == null) {
            try {
                Duration wait = patient.delay("t", unavailable);
                failures++;
                waited = waited.plus(wait);
                nanos.addAndGet(wait.toNanos());
            } catch (LlmException.PatienceExhausted e) {
                exhausted = e;
            }
        }

        // 0.25 + 0.5 + 1 + 2 + 4 s waited; the next wait of 8 s would end after 15.75 s
        assertEquals(5, failures);
        assertEquals(Duration.ofMillis(7750), waited);
        assertTrue(exhausted.getMessage().contains("failed 6 times in a row over 7 s"), exhausted.getMessage());
        assertTrue(exhausted.getMessage().contains("the last failure: HTTP 503"), exhausted.getMessage());
        assertEquals(503, exhausted.status());
        assertSame(unavailable, exhausted.getSuppressed()[0]);
        assertEquals(Duration.ofMillis(250), patient.delay("t", unavailable), "a new spell after giving up");
    }

    @Test
    void aSuccessStartsTheSpellAgainSoSlowFailuresSpreadOverHoursNeverGiveUp() {
        Deferrals patient = new Deferrals(nanos::get, Duration.ofSeconds(10));
        for (int i = 0; i < 100; i++) {
            nanos.addAndGet(patient.delay("t", unavailable).toNanos());
            patient.succeeded("t");
            nanos.addAndGet(Duration.ofMinutes(5).toNanos());
        }
        assertEquals(Duration.ofMillis(250), patient.delay("t", unavailable));
    }

    @Test
    void aProviderAskingForAWaitBeyondThePatienceGivesUpAtOnce() {
        Deferrals patient = new Deferrals(nanos::get, Duration.ofMinutes(1));
        LlmException asked = new LlmException.RateLimited("429", Optional.of(Duration.ofMinutes(5)),
                RateLimits.UNKNOWN);

        LlmException.PatienceExhausted e = assertThrows(LlmException.PatienceExhausted.class,
                () -> patient.delay("t", asked));
        assertTrue(e.getMessage().startsWith("its call failed, and a try 5 min later would go past the call patience"
                + " of 60 s"), e.getMessage());
    }

    @Test
    void theProvidersWaitWinsWhenItIsLonger() {
        LlmException asked = new LlmException.RateLimited("429", Optional.of(Duration.ofMinutes(5)),
                RateLimits.UNKNOWN);

        assertEquals(Duration.ofMinutes(5), deferrals.delay("t", asked));
    }

    @Test
    void aHeldBackTodoIsReleasedWhenItsWaitIsOver() {
        deferrals.holdBack("a", Duration.ofSeconds(2));
        deferrals.holdBack("b", Duration.ofSeconds(1));

        assertTrue(deferrals.isHeldBack("a"));
        assertEquals(Optional.of(Duration.ofSeconds(1)), deferrals.untilNext());
        assertEquals(List.of(), deferrals.releaseDue());
        nanos.addAndGet(Duration.ofSeconds(1).toNanos());
        assertEquals(List.of("b"), deferrals.releaseDue());
        assertEquals(Optional.of(Duration.ofSeconds(1)), deferrals.untilNext());
        nanos.addAndGet(Duration.ofSeconds(5).toNanos());
        assertEquals(List.of("a"), deferrals.releaseDue());
        assertFalse(deferrals.any());
        assertEquals(Optional.empty(), deferrals.untilNext());
        assertEquals(List.of(), deferrals.releaseDue());
    }
}
