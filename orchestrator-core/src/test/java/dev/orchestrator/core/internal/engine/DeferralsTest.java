package dev.orchestrator.core.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
    private final Deferrals deferrals = new Deferrals(nanos::get);
    private final LlmException unavailable = new LlmException.Transient("HTTP 503", 503, null);

    @Test
    void eachFailureInARowWaitsTwiceAsLongUpToAMinuteAndASuccessStartsOver() {
        List<Duration> waits = IntStream.range(0, 10)
                .mapToObj(i -> deferrals.delay("t", unavailable)).toList();

        assertEquals(Duration.ofMillis(250), waits.getFirst());
        assertEquals(Duration.ofMillis(500), waits.get(1));
        assertEquals(Deferrals.LONGEST, waits.getLast());
        deferrals.succeeded("t");
        assertEquals(Duration.ofMillis(250), deferrals.delay("t", unavailable));
        assertEquals(Duration.ofMillis(250), deferrals.delay("other", unavailable), "counted by task");
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
