package dev.orchestrator.core.internal.limit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.orchestrator.api.RateLimits;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A machine that slept: its monotonic clock stood still while the wall clock, which stamps the mission's events,
 * went on. The limiter keeps its time on the first; the pauses it tells of and takes back are the second's.
 */
class SleptMachineTest {

    private static final LimiterKey KEY = new LimiterKey("test", "model", "key");

    private final AtomicReference<Instant> wall = new AtomicReference<>(Instant.parse("2026-12-01T10:00:00Z"));
    private final AtomicLong nanoTime = new AtomicLong(5_000_000_000L);

    @Test
    void aPauseAfterAnHourAsleepEndsTenSecondsFromNowByTheWallClockAndARestoredOneFromTheWallClockToo() {
        try (SystemScheduler scheduler = new SystemScheduler("slept-test", wall::get, nanoTime::get)) {
            wall.set(wall.get().plus(Duration.ofHours(1))); // asleep: the monotonic clock stood still
            List<Instant> told = new ArrayList<>();
            LimiterListener listener = new LimiterListener() {
                @Override
                public void onPaused(LimiterKey key, Instant until, PauseCause cause) {
                    told.add(until);
                }
            };
            AimdLimiter limiter = new AimdLimiter(KEY, LimiterSettings.builder().pauseJitter(0, Duration.ZERO)
                    .build(), scheduler, listener, new SplittableRandom(1));

            limiter.acquire(Priority.WORKER).join().dropped(DropCause.OVERLOADED, Optional.of(Duration.ofSeconds(10)),
                    RateLimits.UNKNOWN);

            Instant tenSecondsOn = wall.get().plusSeconds(10);
            assertEquals(List.of(tenSecondsOn), told);
            assertEquals(Optional.of(tenSecondsOn), limiter.state().pausedUntil());

            AimdLimiter resumed = new AimdLimiter(KEY, LimiterSettings.builder().build(), scheduler,
                    LimiterListener.NONE, new SplittableRandom(1));
            resumed.restore(new LimiterState(3, Optional.of(wall.get().plusSeconds(30)), 0, 0));
            assertEquals(Optional.of(wall.get().plusSeconds(30)), resumed.state().pausedUntil());
        }
    }
}
