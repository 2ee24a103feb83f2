package dev.orchestrator.core.internal.limit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.RateLimits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LimiterRegistryTest {

    private final LimiterRegistry registry = LimiterRegistry.on(new ManualTime(), LimiterSettings.defaults(), 1);

    @Test
    void callsWithTheSameProviderModelAndKeyShareOneLimiter() {
        LimiterKey key = LimiterKey.ofApiKey("openai", "gpt-4o", "sk-secret");
        assertSame(registry.limiter(key), registry.limiter(LimiterKey.ofApiKey("openai", "gpt-4o", "sk-secret")));
        assertNotSame(registry.limiter(key), registry.limiter(LimiterKey.ofApiKey("openai", "gpt-4o", "sk-other")));
        assertNotSame(registry.limiter(key), registry.limiter(LimiterKey.ofApiKey("openai", "gpt-4.1", "sk-secret")));
    }

    @Test
    void theKeyIsIdentifiedByAHashAndNeverKept() {
        LimiterKey key = LimiterKey.ofApiKey("openai", "gpt-4o", "sk-secret");
        assertFalse(key.toString().contains("sk-secret"));
        assertFalse(key.keyId().contains("secret"));
        assertTrue(key.keyId().matches("sha256:[0-9a-f]{16}"), key.keyId());
    }

    @Test
    void onRealTimeAPauseEndsByItselfAndClosingStopsTheTimer() throws Exception {
        LimiterRegistry real = LimiterRegistry.create(LimiterSettings.defaults());
        AimdLimiter limiter = real.limiter(new LimiterKey("p", "m", "id"));
        limiter.acquire(Priority.WORKER).join().dropped(DropCause.RATE_LIMITED, Optional.of(Duration.ofMillis(5)),
                RateLimits.UNKNOWN);
        // waits for the event (the timer thread ending the pause), not for an amount of time
        limiter.acquire(Priority.WORKER).get(30, TimeUnit.SECONDS).ignored();
        real.close();
        assertThrows(RejectedExecutionException.class, () -> real.scheduler().schedule(Duration.ZERO, () -> { }));
        assertEquals(0, limiter.state().inFlight());
    }

    @Test
    void listenersHearEveryLimitersEventsUntilRemoved() throws Exception {
        List<String> heard = new ArrayList<>();
        AutoCloseable subscription = registry.addListener(new LimiterListener() {
            @Override
            public void onDropped(LimiterKey key, DropCause cause, Optional<Duration> retryAfter, boolean cut) {
                heard.add(key.model() + " " + cause + " cut=" + cut);
            }
        });
        AimdLimiter limiter = registry.limiter(new LimiterKey("p", "m", "id"));
        limiter.acquire(Priority.WORKER).join().dropped(DropCause.OVERLOADED, Optional.empty(), RateLimits.UNKNOWN);
        subscription.close();
        limiter.acquire(Priority.WORKER).join().dropped(DropCause.OVERLOADED, Optional.empty(), RateLimits.UNKNOWN);
        assertEquals(List.of("m OVERLOADED cut=true"), heard);
    }

    @Test
    void aListenerThatThrowsNeitherStopsTheOthersNorLeavesAWaiterUnwoken() {
        List<String> heard = new ArrayList<>();
        registry.addListener(new LimiterListener() {
            @Override
            public void onLimitChanged(LimiterKey key, double oldLimit, double newLimit) {
                throw new IllegalStateException("the activity's journal is closed");
            }

            @Override
            public void onAdmittedAfterWait(LimiterKey key, Priority priority, Duration waited) {
                throw new IllegalStateException("the activity's journal is closed");
            }
        });
        registry.addListener(new LimiterListener() {
            @Override
            public void onAdmittedAfterWait(LimiterKey key, Priority priority, Duration waited) {
                heard.add("admitted");
            }
        });
        AimdLimiter limiter = registry.limiter(new LimiterKey("p", "m", "id"));
        List<Permit> held = new ArrayList<>();
        for (int i = 0; i < (int) limiter.state().limit(); i++) {
            held.add(limiter.acquire(Priority.WORKER).join());
        }
        var waiter = limiter.acquire(Priority.WORKER);
        assertFalse(waiter.isDone());
        // the release wakes the waiter and reports both: the throwing listener is passed over
        held.getFirst().ignored();
        assertTrue(waiter.isDone());
        assertEquals(List.of("admitted"), heard);
        waiter.join().ignored();
    }
}
