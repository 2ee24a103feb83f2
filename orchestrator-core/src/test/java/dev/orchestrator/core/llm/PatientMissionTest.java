package dev.orchestrator.core.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.Mission;
import dev.orchestrator.api.MissionEvent;
import dev.orchestrator.api.MissionResult;
import dev.orchestrator.api.MissionResult.Outcome;
import dev.orchestrator.api.TodoStatus;
import dev.orchestrator.core.internal.engine.TrackingThreads;
import dev.orchestrator.test.MockLlmServer;
import dev.orchestrator.test.MockReply;
import dev.orchestrator.test.RecordedRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whole missions against a loopback OpenAI-compatible server that enforces a quota or keeps failing: a mission
 * outlasts any rate limit that eventually lets calls through, and ends only at a limit the user set.
 */
class PatientMissionTest {

    @TempDir
    Path root;

    private final List<MissionEvent> events = Collections.synchronizedList(new ArrayList<>());
    /** Hears each event as it happens, after {@link #events} has it. */
    private volatile Consumer<MissionEvent> onEvent = event -> { };
    private final TrackingThreads threads = new TrackingThreads();
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();
    /** The clock of the missions that have a deadline, which it is measured by. */
    private final HeldClock clock = new HeldClock();

    /**
     * A clock that stands still until the test lets it jump past a deadline: the deadline then passes once what the
     * test waits for has happened, however slow the machine, instead of racing it on the wall clock.
     */
    private static final class HeldClock implements InstantSource {
        private final Instant start = Instant.now();
        private volatile Duration jumped = Duration.ZERO;

        @Override
        public Instant instant() {
            return start.plus(jumped);
        }

        void jumpPast(Duration deadline) {
            jumped = deadline.plusSeconds(1);
        }
    }

    /** Runs {@code mission} against a loopback server that answers with {@code server}, on a key of its own. */
    private MissionResult run(Function<RecordedRequest, MockReply> server,
            Function<Mission.Builder, Mission.Builder> mission) throws IOException, InterruptedException {
        return runAgainst(loopback -> loopback.respondWith(server), mission);
    }

    /** Runs {@code mission} against a loopback server set up by {@code server}, on a key of its own. */
    private MissionResult runAgainst(Consumer<MockLlmServer> server,
            Function<Mission.Builder, Mission.Builder> mission) throws IOException, InterruptedException {
        Path workspace = Files.createDirectory(root.resolve("workspace"));
        MissionResult result;
        try (MockLlmServer loopback = new MockLlmServer();
                OpenAiCompatible provider = OpenAiCompatible.builder().baseUrl(loopback.url("/v1"))
                        .apiKey("sk-test-" + UUID.randomUUID()).model("loopback-model").build()) {
            server.accept(loopback);
            result = mission.apply(Mission.builder().goal("small independent things").workspace(workspace)
                    .provider(provider).verifyWith("true").threadFactory(threads)
                    .listener((event, progress) -> {
                        events.add(event);
                        onEvent.accept(event);
                    })).build().run();
            requests.set(loopback.receivedRequests().size());
            refused.addAndGet(loopback.refusals().size());
        }
        threads.assertAllEnded();
        return result;
    }

    /** A server whose quota is a bucket of {@code ratePerSecond} requests a second, {@code burst} at most. */
    private static Consumer<MockLlmServer> bucketOf(double ratePerSecond, int burst, int todos) {
        return server -> server.limitRequests(ratePerSecond, burst)
                .respondWith(request -> MockReply.json(200, PlayedModel.answer(request, todos)));
    }

    private void assertEveryTodoDone(MissionResult result, int todos) {
        assertEquals(Outcome.COMPLETED, result.outcome(), result.reason());
        assertEquals(todos, result.todos().size());
        assertTrue(result.todos().stream().allMatch(t -> t.state() == TodoStatus.State.DONE), result::toString);
    }

    /** Prints the figures; they go to the test report. */
    private void report(String name, MissionResult result, double ratePerSecond, int burst) {
        // a brief, a plan, two calls per todo and a review
        int needed = 2 * result.todos().size() + 3;
        double idealSeconds = Math.max(0, needed - burst) / ratePerSecond;
        System.out.printf("%s: %d requests, %d refused (%.0f %%), %d ms for an ideal of %.0f ms, %d deferrals%n",
                name, requests.get(), refused.get(), 100.0 * refused.get() / requests.get(),
                result.duration().toMillis(), idealSeconds * 1000,
                events.stream().filter(MissionEvent.TaskDeferred.class::isInstance).count());
    }

    private void assertFewRefusals() {
        assertTrue(refused.get() <= 0.15 * requests.get(), refused.get() + " of " + requests.get()
                + " requests were refused with a 429: at most 15 % may be");
    }

    @Test
    void twelveWorkersAtOneRequestASecondCompleteEveryTodoWithFewRefusals() throws Exception {
        MissionResult result = runAgainst(bucketOf(1, 2, 12), mission -> mission.maxParallelWorkers(12));

        report("12 workers at 1 request/s, burst 2", result, 1, 2);
        assertEveryTodoDone(result, 12);
        assertFewRefusals();
    }

    @Test
    void threeWorkersAtOneRequestInFiveSecondsCompleteEveryTodoWithFewRefusals() throws Exception {
        MissionResult result = runAgainst(bucketOf(0.2, 1, 3), mission -> mission.maxParallelWorkers(3));

        report("3 workers at 0.2 request/s, burst 1", result, 0.2, 1);
        assertEveryTodoDone(result, 3);
        assertFewRefusals();
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES) // a guard against a hang, should the wait never be said
    void aServerThatAsksForFiveMinutesForeverEndsTheMissionAtItsDeadlineWithNoThreadLeft() throws Exception {
        Duration deadline = Duration.ofSeconds(2);
        // the deadline passes once the wait was said while it lasted: the pause, or the task put back until the
        // server's time
        onEvent = event -> {
            if (event instanceof MissionEvent.CallsPaused paused
                    && paused.until().isAfter(paused.at().plusSeconds(200))
                    || event instanceof MissionEvent.TaskDeferred deferred
                    && deferred.retryAt().isAfter(deferred.at().plusSeconds(200))) {
                clock.jumpPast(deadline);
            }
        };
        MissionResult result = run(request -> {
            refused.incrementAndGet();
            return MockReply.rateLimited(Duration.ofMinutes(5));
        }, mission -> mission.deadline(deadline).clock(clock));

        assertEquals(Outcome.DEADLINE, result.outcome(), result.reason());
        assertTrue(result.reason().startsWith("the deadline of 2 s passed"), result.reason());
        assertTrue(threads.count() > 0);
        assertTrue(events.getLast() instanceof MissionEvent.MissionFinished);
    }

    @Test
    void aServerThatAsksForFiveMinutesForeverEndsTheMissionWhenTheWaitExceedsThePatience() throws Exception {
        MissionResult result = run(request -> {
            refused.incrementAndGet();
            return MockReply.rateLimited(Duration.ofMinutes(5));
        }, mission -> mission.callPatience(Duration.ofSeconds(60)));

        assertEquals(Outcome.FAILED, result.outcome(), result.reason());
        assertTrue(result.reason().matches(".*asked to wait 5 min before the next try, more than the \\d+ s left of"
                + " this call's patience of 60 s.*"), result.reason());
        assertTrue(result.reason().contains("Mission.Builder.callPatience(...)"), result.reason());
        assertEquals(1, refused.get(), "nothing is sent once the wait is known to exceed the patience");
    }

    @Test
    void workersWaitingForAFiveMinutePauseAreStoppedAtTheDeadline() throws Exception {
        MissionResult result = run(request -> {
            if (request.body().contains("write_brief") || request.body().contains("submit_plan")) {
                return MockReply.json(200, PlayedModel.answer(request, 4));
            }
            refused.incrementAndGet();
            clock.jumpPast(Duration.ofSeconds(3)); // a Worker's call was refused: the deadline may pass
            return MockReply.rateLimited(Duration.ofMinutes(5));
        }, mission -> mission.maxParallelWorkers(4).deadline(Duration.ofSeconds(3)).clock(clock));

        assertEquals(Outcome.DEADLINE, result.outcome(), result.reason());
        assertTrue(result.reason().contains("(0 of 4 todos done)"), result.reason());
        assertTrue(refused.get() >= 1);
        assertTrue(result.todos().stream().noneMatch(t -> t.state() == TodoStatus.State.DONE));
    }

    @Test
    void commanderPlannerAndReviewerCallsAnswered503ThreeTimesInARowStillComplete() throws Exception {
        Map<String, AtomicInteger> failuresByTool = new ConcurrentHashMap<>();
        MissionResult result = run(request -> {
            String answerTool = List.of("write_brief", "submit_plan", "report_issues").stream()
                    .filter(request.body()::contains).findFirst().orElse("");
            if (!answerTool.isEmpty()
                    && failuresByTool.computeIfAbsent(answerTool, k -> new AtomicInteger()).getAndIncrement() < 3) {
                return MockReply.json(503, "{\"error\":{\"message\":\"The server is temporarily unavailable\"}}");
            }
            return MockReply.json(200, PlayedModel.answer(request, 2));
        }, mission -> mission);

        assertEveryTodoDone(result, 2);
        assertEquals(4, failuresByTool.get("write_brief").get());
        assertEquals(4, failuresByTool.get("submit_plan").get());
        assertEquals(4, failuresByTool.get("report_issues").get());
    }
}
