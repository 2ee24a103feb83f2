package dev.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.ChatResponse;
import dev.orchestrator.api.MissionEvent;
import dev.orchestrator.api.MissionResult;
import dev.orchestrator.api.Todo;
import dev.orchestrator.api.Usage;
import dev.orchestrator.core.journal.FileJournal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What the report marks on its charts, from events a scripted mission does not have: retries, waits, 429s. */
class MissionReportTest {

    private static final Instant T0 = Instant.parse("2026-11-30T12:00:00Z");

    private static Instant at(double seconds) {
        return T0.plusMillis((long) (seconds * 1000));
    }


    private static List<MissionEvent> events() {
        return List.of(
                new MissionEvent.MissionStarted("m1", "<script>alert(1)</script> & more", "/w", "true", "", at(0)),
                new MissionEvent.BriefWritten("brief", at(1)),
                new MissionEvent.TodosPlanned(0, List.of(Todo.of("a", "Write A", List.of("A"), List.of()),
                        Todo.of("b", "Write B", List.of("B"), List.of())), List.of(), at(2)),
                new MissionEvent.TaskDispatched("a", 1, "worker", at(3)),
                new MissionEvent.TaskDispatched("b", 1, "worker", at(3)),
                new MissionEvent.ConcurrencyChanged("openai/gpt-4o/k", 4.0, Optional.empty(), "CUT", at(4)),
                new MissionEvent.CallRetried("b#1", 1, Duration.ofSeconds(2), "RateLimited: the server answered HTTP 429",
                        at(4)),
                new MissionEvent.CallsPaused("openai/gpt-4o/k", "RETRY_AFTER", at(9), 2, at(4)),
                new MissionEvent.CallRetried("a#1", 1, Duration.ofSeconds(1), "HTTP 503", at(5)),
                new MissionEvent.AgentNote("a#1", "worker",
                        "compacted the conversation: 12 messages summarised into one",
                        at(6)),
                new MissionEvent.LlmCallCompleted("m1/a#1/0", "a#1", "worker", ChatResponse.ofText("ok",
                        new Usage(100, 10, 300, 0), "gpt-4o"), at(7)),
                new MissionEvent.TaskDeferred("b#1", Optional.of("b"), "worker", "HTTP 429", at(12), at(7)),
                new MissionEvent.TaskFinished("a", 1, false, "gave up", at(8)),
                new MissionEvent.TaskDispatched("a", 2, "worker", at(12)),
                new MissionEvent.TaskDispatched("b", 1, "worker", at(12)),
                new MissionEvent.TaskFinished("a", 2, true, "wrote A", at(14)),
                new MissionEvent.TaskFinished("b", 1, true, "wrote B", at(14)),
                new MissionEvent.MissionFinished(MissionResult.Outcome.CANCELLED, "cancelled", at(15)));
    }

    private static String html(List<MissionEvent> events) {
        List<MissionJournal.Recorded> recorded = new ArrayList<>();
        for (MissionEvent event : events) {
            recorded.add(new MissionJournal.Recorded(recorded.size() + 1, event));
        }
        return MissionReport.html(new MissionJournal("/j", recorded,
                new JournalSource.Contents(0, events.size(), "in 1 segment(s)", Map.of(), Optional.empty())));
    }

    @Test
    void aJournalOfDispatchWavesShowsTheSameTasksAsOneWithAnEventPerTask() {
        // the engine records todos dispatched together as one wave: here the two pairs dispatched at one instant
        List<MissionEvent> waves = new ArrayList<>();
        for (MissionEvent event : events()) {
            if (event instanceof MissionEvent.TaskDispatched d && !waves.isEmpty()
                    && waves.getLast() instanceof MissionEvent.TasksDispatched wave && wave.at().equals(d.at())) {
                List<MissionEvent.TasksDispatched.Dispatch> tasks = new ArrayList<>(wave.tasks());
                tasks.add(new MissionEvent.TasksDispatched.Dispatch(d.todoId(), d.attempt(), d.role()));
                waves.set(waves.size() - 1, new MissionEvent.TasksDispatched(tasks, d.at()));
            } else if (event instanceof MissionEvent.TaskDispatched d) {
                waves.add(new MissionEvent.TasksDispatched(List.of(
                        new MissionEvent.TasksDispatched.Dispatch(d.todoId(), d.attempt(), d.role())), d.at()));
            } else {
                waves.add(event);
            }
        }
        assertEquals(events().size() - 2, waves.size());

        assertEquals(bars(html(events())), bars(html(waves)));
        assertEquals(4, bars(html(waves)).size());
    }

    private static List<String> bars(String html) {
        return java.util.regex.Pattern.compile("<rect class=\"bar [^>]*>").matcher(html).results()
                .map(java.util.regex.MatchResult::group).toList();
    }

    @Test
    void retriesWaitsFailuresCompactionsRateLimitsAndPausesAreMarkedWhereTheyHappened() {
        String html = html(events());

        assertEquals(4, OrchestratorCliTest.count(html, "<rect class=\"bar "));
        assertEquals(1, OrchestratorCliTest.count(html, "<rect class=\"bar failed\" data-task=\"a#1\""));
        assertEquals(1, OrchestratorCliTest.count(html, "<rect class=\"bar done again\" data-task=\"a#2\""),
                "a second attempt");
        assertEquals(1, OrchestratorCliTest.count(html, "<rect class=\"bar deferred\" data-task=\"b#1\""));
        assertEquals(2, OrchestratorCliTest.count(html, "<g class=\"mark retry\">"), "the 503 and the 429");
        assertEquals(1, OrchestratorCliTest.count(html, "<g class=\"mark compaction\">"));
        assertEquals(1, OrchestratorCliTest.count(html, "<g class=\"mark wait\">"));
        assertEquals(1, OrchestratorCliTest.count(html, "<g class=\"mark r429\">"));
        assertEquals(1, OrchestratorCliTest.count(html, "<rect class=\"pause\""));
        // gpt-4o: 100 input at $2.50, 10 output at $10, 300 cached at $1.25 per million = $0.000725
        assertTrue(html.contains("$0.0007"), html);
        assertTrue(html.contains("75 %"), "the cached share of the worker's input");
        assertFalse(html.contains("<script>"), "the goal is escaped");
        assertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; more"));
    }
}
