package dev.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.MissionEvent;
import dev.orchestrator.api.MissionProgress;
import dev.orchestrator.api.MissionResult;
import dev.orchestrator.api.RoleUsage;
import dev.orchestrator.api.Todo;
import dev.orchestrator.api.Usage;
import dev.orchestrator.core.llm.ModelPrices;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ConsoleProgressTest {

    private static final Instant START = Instant.parse("2026-11-30T12:00:00Z");
    private static final MissionProgress PROGRESS = new MissionProgress(0, 1, 0, 0, 0, 0, 0, Usage.ZERO);

    private final AtomicLong elapsedNanos = new AtomicLong();
    private final List<String> seen = new CopyOnWriteArrayList<>();
    private final ByteArrayOutputStream console = new ByteArrayOutputStream();
    private final ConsoleProgress progress = new ConsoleProgress(new PrintWriter(new PrintStream(console, true,
            StandardCharsets.UTF_8), true), false, () -> START.plusNanos(elapsedNanos.get()), elapsedNanos::get,
            ModelPrices.defaults());

    /**
     * Ends the board's heartbeat thread also when a test failed before its mission's end: another test joins every
     * {@code console-progress} thread, and would wait for it for ever.
     */
    @AfterEach
    void closeTheBoard() {
        progress.close();
    }

    private Instant now() {
        return START.plusNanos(elapsedNanos.get());
    }

    private List<String> lines() {
        return console.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void aPauseIsSaidWithItsCauseEndAndQueueAndASilenceIsExplainedWhileItLasts() {
        progress.onEvent(new MissionEvent.MissionStarted("m", "goal", "/w", "true", "", now()), PROGRESS);
        progress.onEvent(new MissionEvent.TodosPlanned(0, List.of(Todo.of("t", "x", List.of(), List.of())),
                List.of(), now()), PROGRESS);
        progress.onEvent(new MissionEvent.TaskDispatched("t", 1, "worker", now()), PROGRESS);
        progress.onEvent(new MissionEvent.CallsPaused("openai/gpt/k", "RETRY_AFTER", now().plusSeconds(12), 3,
                now()), PROGRESS);
        // another call queues behind the same pause: the count changes, no new line
        progress.onEvent(new MissionEvent.CallsPaused("openai/gpt/k", "RETRY_AFTER", now().plusSeconds(12), 4,
                now()), PROGRESS);

        assertEquals("  waiting 12 s: rate limit, 3 calls queued (openai/gpt/k)", lines().getLast());
        int printed = lines().size();
        elapsedNanos.addAndGet(Duration.ofSeconds(2).toNanos());
        progress.tick();
        assertEquals(printed, lines().size(), "a short silence needs no line");

        elapsedNanos.addAndGet(Duration.ofSeconds(4).toNanos());
        progress.tick();
        assertEquals("  … waiting 6 s: rate limit, 4 calls queued (openai/gpt/k)", lines().getLast());

        // the pause is over and the model is at work: the next silence says that
        elapsedNanos.addAndGet(Duration.ofSeconds(7).toNanos());
        progress.tick();
        assertEquals("  … waiting for the model: 1 todo running (t)", lines().getLast());

        // the last todo is done: what runs now is the verify command
        progress.onEvent(new MissionEvent.TaskFinished("t", 1, true, "done", now()), PROGRESS);
        elapsedNanos.addAndGet(ConsoleProgress.QUIET.toNanos());
        progress.tick();
        assertEquals("  … the todos that could run have run; verifying with `true`", lines().getLast());

        progress.onEvent(new MissionEvent.MissionFinished(MissionResult.Outcome.COMPLETED, "done", now()), PROGRESS);
    }

    @Test
    void aCallThatIsNeverAnsweredIsSaidAgainLessOftenWithHowLongNothingHappened() {
        progress.onEvent(new MissionEvent.MissionStarted("m", "goal", "/w", "true", "", now()), PROGRESS);
        progress.onEvent(new MissionEvent.BriefWritten("brief", now()), PROGRESS);
        int before = lines().size();
        List<Long> saidAt = new ArrayList<>();
        for (int second = 1; second <= 600; second++) { // a server that never answers: the request timeout's 10 min
            elapsedNanos.addAndGet(Duration.ofSeconds(1).toNanos());
            int printed = lines().size();
            progress.tick();
            if (lines().size() > printed) {
                saidAt.add((long) second);
            }
        }

        assertEquals(List.of(5L, 15L, 35L, 75L, 135L, 195L, 255L, 315L, 375L, 435L, 495L, 555L), saidAt);
        List<String> said = lines().subList(before, lines().size());
        assertEquals("  … the Commander wrote the brief; the Planner is planning", said.getFirst());
        assertEquals("  … the Commander wrote the brief; the Planner is planning (nothing new for 9 min 15 s)",
                said.getLast());

        // news starts it over: the next silence is said after QUIET again
        progress.onEvent(new MissionEvent.TodosPlanned(0, List.of(Todo.of("t", "x", List.of(), List.of())),
                List.of(), now()), PROGRESS);
        elapsedNanos.addAndGet(ConsoleProgress.QUIET.toNanos());
        progress.tick();
        assertEquals("  … plan: 1 todo", lines().getLast());
        progress.onEvent(new MissionEvent.MissionFinished(MissionResult.Outcome.COMPLETED, "done", now()), PROGRESS);
    }

    @Test
    void theSdksLogLinesGoAboveTheLiveBoardWhileItIsUpAndToTheirUsualPlaceAfter() {
        ConsoleProgress board = new ConsoleProgress(new PrintWriter(new PrintStream(console, true,
                StandardCharsets.UTF_8), true), true, this::now, elapsedNanos::get, ModelPrices.defaults());
        Logger sdk = Logger.getLogger("dev.orchestrator.core.internal.engine");
        elapsedNanos.set(Duration.ofSeconds(1).toNanos()); // past the first redraw's interval: the board is drawn
        board.onEvent(new MissionEvent.MissionStarted("m", "goal", "/w", "true", "", now()), PROGRESS);
        String before = console.toString(StandardCharsets.UTF_8);

        sdk.warning("commands run without a sandbox");
        String after = console.toString(StandardCharsets.UTF_8).substring(before.length());
        // the board is taken away (cursor up over its lines, clear), the line printed, the board drawn again below
        int boardLines = (int) before.lines().count();
        assertTrue(after.startsWith("\u001b[" + boardLines + "F\u001b[J"), after);
        int line = after.indexOf("WARNING: commands run without a sandbox");
        assertTrue(line > 0, after);
        assertTrue(after.indexOf("todos [", line) > line, "the board is drawn again under the line: " + after);

        board.onEvent(new MissionEvent.MissionFinished(MissionResult.Outcome.COMPLETED, "done", now()), PROGRESS);
        String finished = console.toString(StandardCharsets.UTF_8);
        sdk.warning("after the mission");
        assertEquals(finished, console.toString(StandardCharsets.UTF_8), "no board to print above any more");
        assertTrue(Logger.getLogger("dev.orchestrator").getUseParentHandlers());
    }

    @Test
    void aRunThatEndsWithoutItsLastEventGivesTheLogLinesBackAndStopsTheHeartbeatWhenTheBoardIsClosed()
            throws InterruptedException {
        Logger sdk = Logger.getLogger("dev.orchestrator");
        Handler console = new Handler() {
            @Override
            public void publish(LogRecord record) {
                seen.add(record.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        // stands for the JDK's console handler: the root logger's, which the SDK's records reach through their parents
        Logger.getLogger("").addHandler(console);
        try {
            ConsoleProgress board = new ConsoleProgress(new PrintWriter(new PrintStream(this.console, true,
                    StandardCharsets.UTF_8), true), true, this::now, elapsedNanos::get, ModelPrices.defaults());
            board.onEvent(new MissionEvent.MissionStarted("m", "goal", "/w", "true", "", now()), PROGRESS);
            sdk.warning("while the board is up");
            assertEquals(List.of(), seen, "the board has the log lines while it is up");

            // the run threw, or its journal failed: no MissionFinished comes
            board.close();

            sdk.warning("after the run");
            assertEquals(List.of("after the run"), seen);
            for (Thread thread : Thread.getAllStackTraces().keySet()) {
                if (thread.getName().equals("console-progress")) {
                    thread.join();
                }
            }
        } finally {
            Logger.getLogger("").removeHandler(console);
        }
    }

    @Test
    void aMissionRunAgainAfterAFailureSaysHowTheLastRunEnded() {
        progress.onEvent(new MissionEvent.MissionReopened(MissionResult.Outcome.FAILED, "the key was refused",
                now()), PROGRESS);

        assertEquals("going on after the last run ended FAILED (the key was refused)", lines().getLast().strip());
    }

    @Test
    void aTaskPutBackSaysWhyAndWhenItGoesAgain() {
        progress.onEvent(new MissionEvent.MissionStarted("m", "goal", "/w", "true", "", now()), PROGRESS);
        progress.onEvent(new MissionEvent.TaskDeferred("review-1", Optional.empty(), "reviewer",
                "Transient: HTTP 503 service unavailable", now().plusMillis(2500), now()), PROGRESS);

        assertEquals("  deferred review-1, again in 2.5 s: Transient: HTTP 503 service unavailable",
                lines().getLast());
        elapsedNanos.addAndGet(Duration.ofSeconds(1).plus(ConsoleProgress.QUIET).toNanos());
        progress.tick();
        // worded as a pause's wait is ("waiting 6 s: rate limit"), not "waiting: 6 s"
        assertTrue(lines().getLast().matches("  … waiting [0-9.]+ s: Transient: HTTP 503 service unavailable.*"),
                lines().getLast());
        progress.onEvent(new MissionEvent.MissionFinished(MissionResult.Outcome.COMPLETED, "done", now()), PROGRESS);
    }

    @Test
    void aResumedMissionsBoardCountsWhatTheMissionDidBeforeFromItsFirstLine() {
        Usage earlier = new Usage(2_000, 300, 0, 0);
        MissionProgress resumed = new MissionProgress(2, 0, 3, 0, 0, 0, 1, earlier, List.of(
                new RoleUsage("worker", 3, earlier, Optional.empty())));

        progress.onEvent(new MissionEvent.MissionResumed(40, List.of(), now()), resumed);
        List<String> board = progress.board(now(), resumed);

        // the board saw none of the crashed run's events: before, it showed 0/0 todos and 0 tokens here
        assertEquals("todos [############--------] 3/5 done | 0 running, 2 pending, 0 failed, 0 dropped | reviews: 1",
                board.get(1));
        assertTrue(board.contains("tokens: 2,300 (0 % of input cached) | $0.0000 (no price for the model of worker)"),
                String.join("\n", board));
        assertTrue(board.contains("  worker     3 calls: 2,000 input, 0 cache read, 0 cache write, 300 output, "
                + "no price"), String.join("\n", board));
        progress.close();
    }

    @Test
    void theBoardShowsTheBusyWorkersToolTheDollarsAndAPauseCountingDown() {
        // what the mission counted: a resumed one's earlier calls too (a commander's here), which this board never
        // saw as events; gpt-4o: 1,000 input at $2.50, 200 output at $10, 3,000 cached at $1.25 per million
        Usage worker = new Usage(1_000, 200, 3_000, 0);
        Usage commander = new Usage(400, 100, 0, 0);
        MissionProgress running = new MissionProgress(1, 1, 0, 0, 0, 0, 0, worker.plus(commander), List.of(
                new RoleUsage("commander", 1, commander, Optional.of(new BigDecimal("0.002"))),
                new RoleUsage("worker", 1, worker, Optional.of(new BigDecimal("0.00825")))));
        progress.onEvent(new MissionEvent.MissionStarted("m", "goal", "/w", "true", "", now()), running);
        progress.onEvent(new MissionEvent.TodosPlanned(0, List.of(Todo.of("a", "Write A", List.of(), List.of()),
                Todo.of("b", "Write B", List.of(), List.of())), List.of(), now()), running);
        progress.onEvent(new MissionEvent.TaskDispatched("a", 1, "worker", now()), running);
        progress.onEvent(new MissionEvent.LlmCallCompleted("m/a#1/0", "a#1", "worker", dev.orchestrator.api
                .ChatResponse.ofText("", new Usage(1_000, 200, 3_000, 0), "gpt-4o"), now()), running);
        progress.onEvent(new MissionEvent.ToolCallStarted("m/a#1/0/0", "a#1", "write_file", "{}", now()), running);
        progress.onEvent(new MissionEvent.ConcurrencyChanged("openai/gpt-4o/k", 4.0, Optional.of(now().plusSeconds(12)),
                "RETRY_AFTER", now()), running);
        elapsedNanos.addAndGet(Duration.ofSeconds(5).toNanos());

        List<String> board = progress.board(now(), running);

        assertEquals("todos [--------------------] 0/2 done | 1 running, 1 pending, 0 failed, 0 dropped | reviews: 0",
                board.get(1));
        assertTrue(board.contains("  [~] a  Write A"), String.join("\n", board));
        assertTrue(board.contains("workers busy: 1"), String.join("\n", board));
        assertTrue(board.contains("  a#1          5 s       running write_file"), String.join("\n", board));
        // the mission's figures, as the result gives them at the end: in all, and a line per role as run prints it
        assertTrue(board.contains("tokens: 4,700 (68 % of input cached) | $0.0103"), String.join("\n", board));
        assertTrue(board.contains("  commander  1 call: 400 input, 0 cache read, 0 cache write, 100 output, $0.0020"),
                String.join("\n", board));
        assertTrue(board.contains("  worker     1 call: 1,000 input, 3,000 cache read, 0 cache write, 200 output, "
                + "$0.0083"), String.join("\n", board));
        assertTrue(board.contains("limiter openai/gpt-4o/k: limit 4.0 | model calls in flight or queued: 0 | paused "
                + "7 s (rate limit)"), String.join("\n", board));

        progress.onEvent(new MissionEvent.ToolCallCompleted("m/a#1/0/0", "a#1", "write_file",
                new dev.orchestrator.api.ToolResult("ok", false), now()), running);
        assertTrue(progress.board(now(), running).contains("  a#1          5 s       waiting for the model"));
        progress.onEvent(new MissionEvent.MissionFinished(MissionResult.Outcome.CANCELLED, "stop", now()), running);
    }
}
