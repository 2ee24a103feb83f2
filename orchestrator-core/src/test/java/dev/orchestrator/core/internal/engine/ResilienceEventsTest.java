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
}
