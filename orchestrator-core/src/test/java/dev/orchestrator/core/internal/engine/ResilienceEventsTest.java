package dev.orchestrator.core.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.orchestrator.api.MissionEvent;
import dev.orchestrator.core.internal.limit.LimiterKey;
import dev.orchestrator.core.internal.limit.LimiterRegistry;
import dev.orchestrator.core.internal.limit.PauseCause;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ResilienceEventsTest {

    private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");

    @Test
    void aPauseToldOnlyAfterItEndedIsNotReportedAsAWaitAndOneStillOnEndsAfterItIsStamped() {
        InMemoryJournal journal = new InMemoryJournal();
        EventRecorder recorder = new EventRecorder(journal, List.of(), InstantSource.fixed(NOW), Checkpoint.EMPTY,
                "m");
        ResilienceEvents events = new ResilienceEvents(recorder, LimiterRegistry.shared(), "resilience-events", "");
        LimiterKey key = new LimiterKey("resilience-events", "model", "");

        // the limiter tells its listeners after the fact; on a busy machine a pause of 50 ms can be over by then
        events.onPaused(key, NOW.minusMillis(10), PauseCause.RETRY_AFTER);
        events.onWaiting(key, PauseCause.PACED_REQUESTS, NOW, 3);
        events.onPaused(key, NOW.plusSeconds(2), PauseCause.RETRY_AFTER);

        List<MissionEvent> recorded = new ArrayList<>();
        journal.replay(recorded::add);
        assertEquals(List.of(new MissionEvent.CallsPaused(key.toString(), "RETRY_AFTER", NOW.plusSeconds(2), 0, NOW)),
                recorded);
    }

    @Test
    void aPacedMissionJournalsOneWaitPerSpellOfPacingNotOnePerCall() {
        AtomicReference<Instant> now = new AtomicReference<>(NOW);
        InMemoryJournal journal = new InMemoryJournal();
        EventRecorder recorder = new EventRecorder(journal, List.of(), now::get, Checkpoint.EMPTY, "m");
        ResilienceEvents events = new ResilienceEvents(recorder, LimiterRegistry.shared(), "paced-events", "");
        LimiterKey key = new LimiterKey("paced-events", "model", "");

        paceCalls(events, key, now, 200); // a slow quota: a call a second, each told to wait for the pacer
        events.onPaused(key, now.get().plusSeconds(5), PauseCause.RETRY_AFTER);
        now.set(now.get().plusSeconds(5));
        paceCalls(events, key, now, 200);
        now.set(now.get().plus(ResilienceEvents.PACING_GAP).plusSeconds(1)); // calls went through unpaced a while
        paceCalls(events, key, now, 200);

        List<MissionEvent> recorded = new ArrayList<>();
        journal.replay(recorded::add);
        assertEquals(List.of("PACED_REQUESTS", "RETRY_AFTER", "PACED_REQUESTS", "PACED_REQUESTS"), recorded.stream()
                .map(event -> ((MissionEvent.CallsPaused) event).cause()).toList());
    }

    /** {@code calls} calls a second apart, each waiting almost a second for the pacer, whichever rate binds. */
    private static void paceCalls(ResilienceEvents events, LimiterKey key, AtomicReference<Instant> now, int calls) {
        for (int call = 0; call < calls; call++) {
            now.set(now.get().plusSeconds(1));
            events.onWaiting(key, call % 7 == 3 ? PauseCause.PACED_TOKENS : PauseCause.PACED_REQUESTS,
                    now.get().plusMillis(950), 1);
        }
    }
}
