package dev.orchestrator.core.internal.log;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {

    @Test
    void underTwoMinutesReadsInWholeSeconds() {
        assertEquals("45 s", Durations.words(Duration.ofMillis(45_900)));
        assertEquals("119 s", Durations.words(Duration.ofSeconds(119)));
    }

    @Test
    void fromTwoMinutesOnReadsInMinutesAndTheSecondsLeft() {
        assertEquals("2 min", Durations.words(Duration.ofSeconds(120)));
        assertEquals("2 min 30 s", Durations.words(Duration.ofSeconds(150)));
        assertEquals("15 min", Durations.words(Duration.ofMinutes(15)));
    }

    @Test
    void aPositiveDurationUnderASecondIsNotNoTimeAtAll() {
        assertEquals("1 s", Durations.words(Duration.ofMillis(300)));
        assertEquals("0 s", Durations.words(Duration.ZERO));
        assertEquals("0 s", Durations.words(Duration.ofSeconds(-5)));
    }
}
