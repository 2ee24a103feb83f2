package dev.orchestrator.core.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.orchestrator.api.LlmException;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The rule for a failure told by its message, as a Temporal workflow gets it across the activity's boundary. */
class FailingSpellTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void aFailureToldByItsMessageWaitsWhatTheProviderAskedAndGivesUpWithTheEnginesAdvice() {
        FailingSpell spell = new FailingSpell(Duration.ofSeconds(30), "start it again");

        assertEquals(Duration.ofMillis(250), spell.failed(0, "HTTP 502", 502, Optional.empty()));
        assertEquals(Duration.ofSeconds(20), spell.failed(SECOND, "HTTP 503", 503,
                Optional.of(Duration.ofSeconds(20))), "the provider's wait, longer than the backoff's 500 ms");
        LlmException.PatienceExhausted exhausted = assertThrows(LlmException.PatienceExhausted.class,
                () -> spell.failed(21 * SECOND, "HTTP 429", 429, Optional.of(Duration.ofSeconds(10))));

        assertEquals("its calls failed 3 times in a row over 21 s, and a try 10 s later would go past the call"
                + " patience of 30 s; the last failure: HTTP 429; check that the provider is up and its URL and model"
                + " are right, then start it again", exhausted.getMessage());
        assertEquals(429, exhausted.status());
        assertEquals(Duration.ofMillis(250), spell.failed(22 * SECOND, "HTTP 502", 502, Optional.empty()),
                "a new spell after giving up");
    }

    @Test
    void aSuccessStartsTheSpellOver() {
        FailingSpell spell = new FailingSpell(Duration.ofSeconds(1), "start it again");
        spell.failed(0, "HTTP 502", 502, Optional.empty());
        spell.failed(SECOND / 4, "HTTP 502", 502, Optional.empty());
        spell.succeeded();

        // 100 s after the spell's first failure, yet the first of a new one
        assertEquals(Duration.ofMillis(250), spell.failed(100 * SECOND, "HTTP 502", 502, Optional.empty()));
    }
}
