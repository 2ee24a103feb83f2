package dev.orchestrator.cli;

import dev.orchestrator.api.MissionEvent;
import dev.orchestrator.api.MissionListener;
import dev.orchestrator.api.MissionProgress;
import dev.orchestrator.api.RoleUsage;
import dev.orchestrator.api.Todo;
import dev.orchestrator.api.TodoStatus.State;
import dev.orchestrator.api.Usage;
import dev.orchestrator.core.llm.ModelPrices;
import java.io.Console;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.UnaryOperator;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Shows a mission's progress on the console: on a terminal, a live board redrawn in place (the todos by state with a
 * progress bar, one line per busy Worker with its task and its current tool or "waiting for the model", the tokens
 * and dollars so far with the cached share, each limiter's limit, the model calls in flight or queued and any pause
 * with its remaining time); otherwise, one plain line per milestone, fit for logs.
 *
 * <p>It never leaves the user looking at silence without a reason: a wait for a provider's pause or for a task
 * put back after a passing failure says its cause, how long it lasts and how many calls queue behind it
 * ("waiting 12 s: rate limit, 3 calls queued"), the board counts it down, and in plain lines, when nothing was
 * printed for {@link #QUIET} while the mission runs, a line says what it is waiting for. That heartbeat runs on a
 * daemon thread from the mission's first event to its last.
 */
public final class ConsoleProgress implements MissionListener, AutoCloseable {

    /** More todos than this are summarised on the board instead of listed. */
    private static final int BOARD_ROWS = 16;
    /** The widest line the board draws, so that a line never wraps on an ordinary terminal. */
    private static final int WIDTH = 100;
    /** The progress bar's cells. */
    private static final int BAR = 20;
    /** The board is redrawn at most this often, so a mission of thousands of events does not flood the terminal. */
    private static final long REDRAW_NANOS = 100_000_000L;
    /** In plain lines, after this long without a line, one says what the mission is waiting for. */
    static final Duration QUIET = Duration.ofSeconds(5);
    /**
     * While that line would say the same again (a call the server never answers waits up to the request timeout,
     * 10 minutes), the silence before it doubles up to this, so that a long wait is a dozen lines, not hundreds.
     */
    static final Duration QUIETEST = Duration.ofMinutes(1);

    private static final Map<State, String> MARKS = new EnumMap<>(Map.of(State.PENDING, "[ ]", State.RUNNING, "[~]",
            State.DONE, "[x]", State.FAILED, "[!]", State.REPLACED, "[>]", State.DROPPED, "[-]"));

    private final PrintWriter out;
    private final boolean live;
    private final InstantSource clock;
    private final LongSupplier nanoClock;
    private final MissionView view;
    private final UnaryOperator<String> wording;
    /** The waits under way, by what waits: a limiter, or a task put back. */
    private final Map<String, Wait> waits = new LinkedHashMap<>();
    private String status = "starting";
    private MissionProgress lastProgress;
    private int boardLines;
    private long lastDraw;
    private long lastOutput;
    /** When the last line that was not the heartbeat's was printed. */
    private long lastNews;
    /** What the heartbeat said last since that line, or null; and the silence before it says it again. */
    private String lastHeartbeat;
    private long repeatAfterNanos;
    private ScheduledExecutorService heartbeat;
    /** While the board is drawn: the SDK's log lines, printed above it instead of through it. */
    private LogsAboveBoard logs;

    /** Something the mission waits for, until when, and why. */
    private record Wait(String what, Instant until, String why) {
    }

    ConsoleProgress(PrintWriter out, boolean live, InstantSource clock, LongSupplier nanoClock, ModelPrices prices) {
        this(out, live, clock, nanoClock, prices, UnaryOperator.identity());
    }

    /** As the other constructor, with every reason the SDK gives reworded by {@code wording} before it is shown. */
    ConsoleProgress(PrintWriter out, boolean live, InstantSource clock, LongSupplier nanoClock, ModelPrices prices,
            UnaryOperator<String> wording) {
        this.wording = wording;
        this.view = new MissionView(prices);
        this.out = out;
        this.live = live;
        this.clock = clock;
        this.nanoClock = nanoClock;
        this.lastOutput = nanoClock.getAsLong();
        this.lastNews = lastOutput;
    }

    /** A progress display on standard output: a live board on a terminal, plain lines otherwise. */
    public static ConsoleProgress toStandardOutput() {
        return of(new PrintWriter(System.out, true), isTerminal());
    }

    /** A board on {@code out} when {@code live}, else plain lines. */
    static ConsoleProgress of(PrintWriter out, boolean live) {
        return of(out, live, UnaryOperator.identity());
    }

    /** {@link #of(PrintWriter, boolean)}, showing the SDK's reasons as {@code wording} puts them. */
    static ConsoleProgress of(PrintWriter out, boolean live, UnaryOperator<String> wording) {
        return new ConsoleProgress(out, live, InstantSource.system(), System::nanoTime, ModelPrices.defaults(),
                wording);
    }

    /** Plain lines on {@code out}. */
    public static ConsoleProgress plain(PrintStream out) {
        return of(new PrintWriter(out, true), false);
    }

    @Override
    public synchronized void onEvent(MissionEvent event, MissionProgress progress) {
        lastProgress = progress;
        view.apply(event);
        String line = Optional.ofNullable(track(event)).map(wording).orElse(null);
        if (live) {
            long now = nanoClock.getAsLong();
            if (event instanceof MissionEvent.MissionFinished || now - lastDraw >= REDRAW_NANOS) {
                lastDraw = now;
                draw(progress);
            }
        } else if (line != null) {
            print(line);
        }
        if (event instanceof MissionEvent.MissionStarted || event instanceof MissionEvent.MissionResumed) {
            startHeartbeat();
            if (live && logs == null) {
                logs = new LogsAboveBoard();
            }
        } else if (event instanceof MissionEvent.MissionFinished) {
            close();
        }
    }

    /**
     * Stops the heartbeat and gives the SDK's log records back to their usual handlers. The mission's last event
     * does that; a run that ends without it (it threw, its journal failed) leaves it to this, so close the display
     * when the run returns, however it returns: {@code try (ConsoleProgress board = ...) { ... run() ... }}.
     */
    @Override
    public synchronized void close() {
        stopHeartbeat();
        if (logs != null) {
            logs.close();
            logs = null;
        }
    }

    /**
     * Once a second: redraws the board (its times and waits count on), or, in plain lines, says what the mission is
     * waiting for after a silence ({@link #QUIET}, longer while it would say the same).
     */
    synchronized void tick() {
        waits.values().removeIf(wait -> !wait.until().isAfter(clock.instant()));
        if (live) {
            if (lastProgress != null) {
                draw(lastProgress); // the workers' times and the pauses count on
            }
        } else {
            heartbeat(waitingFor());
        }
    }

    /** In plain lines: says what the mission waits for after a silence, less often while it says the same. */
    private void heartbeat(String says) {
        long now = nanoClock.getAsLong();
        boolean again = says.equals(lastHeartbeat);
        if (now - lastOutput < (again ? repeatAfterNanos : QUIET.toNanos())) {
            return;
        }
        repeatAfterNanos = again ? Math.min(2 * repeatAfterNanos, QUIETEST.toNanos()) : 2 * QUIET.toNanos();
        lastHeartbeat = says;
        out.println("  … " + says + (again ? " (nothing new for " + seconds(Duration.ofNanos(now - lastNews)) + ")"
                : ""));
        out.flush();
        lastOutput = now;
    }

    private void print(String line) {
        out.println(line);
        out.flush();
        lastOutput = nanoClock.getAsLong();
        lastNews = lastOutput;
        lastHeartbeat = null;
    }

    /** Updates what the board shows and returns the plain line for the event, or null for none. */
    private String track(MissionEvent event) {
        return switch (event) {
            case MissionEvent.MissionStarted e -> {
                status = "mission " + e.missionId() + " started; the Commander is writing the brief";
                yield "mission " + e.missionId() + ": " + e.goal();
            }
            case MissionEvent.MissionReopened e -> "going on after the last run ended " + e.previousOutcome()
                    + " (" + e.previousReason() + ")";
            case MissionEvent.MissionResumed e -> {
                status = "resumed from " + e.eventsReplayed() + " journaled events";
                yield status + (e.tasksResumed().isEmpty() ? "" : ", taking up " + String.join(", ",
                        e.tasksResumed()));
            }
            case MissionEvent.BriefWritten e -> {
                status = "the Commander wrote the brief; the Planner is planning";
                yield "brief written";
            }
            case MissionEvent.TodosPlanned e -> {
                status = (e.iteration() == 0 ? "plan" : "fixes after review " + e.iteration()) + ": "
                        + count(e.todos().size(), "todo");
                yield status + (e.todos().isEmpty() ? "" : " (" + String.join(", ", e.todos().stream()
                        .map(Todo::id).toList()) + ")") + (e.replaces().isEmpty() ? "" : "; "
                        + (e.todos().isEmpty() ? "dropped " : "replacing ") + String.join(", ", e.replaces()));
            }
            case MissionEvent.TaskDispatched e -> {
                waits.remove(e.todoId() + "#" + e.attempt());
                yield "  started  " + e.todoId() + (e.attempt() > 1 ? " (attempt " + e.attempt() + ")" : "");
            }
            case MissionEvent.TaskFinished e -> {
                if (view.busy().isEmpty()) {
                    status = "the todos that could run have run; verifying with `" + view.verifyCommand() + "`";
                }
                yield "  " + (e.succeeded() ? "done     " : "failed   ") + e.todoId() + ": " + firstLine(e.summary());
            }
            case MissionEvent.TaskDeferred e -> {
                waits.put(e.taskId(), new Wait(e.taskId(), e.retryAt(), wording.apply(firstLine(e.reason()))));
                status = "waiting " + waitWords(waits.get(e.taskId()), e.at());
                yield "  deferred " + e.taskId() + ", again in " + seconds(Duration.between(e.at(), e.retryAt()))
                        + ": " + firstLine(e.reason());
            }
            case MissionEvent.CallsPaused e -> {
                Wait previous = waits.get(e.limiter());
                Wait wait = new Wait(e.limiter(), e.until(), causeWords(e.cause()) + (e.queued() == 0 ? ""
                        : ", " + e.queued() + (e.queued() == 1 ? " call" : " calls") + " queued"));
                waits.put(e.limiter(), wait);
                status = "waiting " + waitWords(wait, e.at());
                // a line for each new pause, not for each call that queues behind it
                yield previous != null && previous.until().equals(e.until()) ? null
                        : "  waiting " + waitWords(wait, e.at()) + " (" + e.limiter() + ")";
            }
            case MissionEvent.CallRetried e -> "    " + e.taskId() + ": a call is tried again in "
                    + seconds(e.delay()) + " after " + firstLine(e.error());
            case MissionEvent.ReplayDiverged e -> "    " + e.taskId() + " asks differently than its journal recorded:"
                    + " its calls go to the model from " + e.callId() + " on";
            case MissionEvent.ToolCallCompleted e -> e.result().isError()
                    ? "    " + e.taskId() + " " + e.tool() + " failed: " + firstLine(e.result().content()) : null;
            case MissionEvent.VerifyCompleted e -> {
                status = "review " + e.iteration() + ": verify " + (e.result().passed() ? "passed" : "failed")
                        + "; the Reviewer is reviewing";
                yield "verify '" + e.result().command() + "' " + (e.result().passed() ? "passed"
                        : "failed with exit code " + e.result().exitCode());
            }
            case MissionEvent.ReviewCompleted e -> {
                status = "review " + e.iteration() + ": " + count(e.issues().size(), "open issue");
                String line = status;
                status += "; the Commander decides what next";
                yield line + e.issues().stream().map(i -> "\n  - " + firstLine(i.description()))
                        .reduce("", String::concat);
            }
            case MissionEvent.MissionFinished e -> {
                waits.clear();
                status = "finished: " + e.outcome();
                yield "finished: " + e.outcome() + ": " + e.reason();
            }
            default -> null;
        };
    }

    /** What the mission is waiting for now, in words. */
    private String waitingFor() {
        Instant now = clock.instant();
        Optional<Wait> longest = waits.values().stream().max((a, b) -> a.until().compareTo(b.until()));
        if (longest.isPresent()) {
            return "waiting " + waitWords(longest.get(), now) + " (" + longest.get().what() + ")";
        }
        List<String> running = view.busy().stream().map(MissionView.Busy::todoId).toList();
        if (!running.isEmpty()) {
            return "waiting for the model: " + count(running.size(), "todo")
                    + " running (" + String.join(", ", running.stream().limit(8).toList())
                    + (running.size() > 8 ? ", …" : "") + ")";
        }
        return status;
    }

    private static String waitWords(Wait wait, Instant now) {
        return seconds(Duration.between(now, wait.until())) + ": " + wait.why();
    }

    private static String causeWords(String cause) {
        return switch (cause) {
            case "RETRY_AFTER" -> "rate limit";
            case "QUOTA_NEARLY_USED" -> "quota nearly used";
            case "RESTORED" -> "a pause carried over from before the restart";
            case "PACED_REQUESTS" -> "pacing to the provider's request rate";
            case "PACED_TOKENS" -> "pacing to the provider's token rate";
            default -> cause.toLowerCase(Locale.ROOT).replace('_', ' ');
        };
    }

    /** "1 todo", "3 todos". */
    private static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    /** "2.5 s" under 10 s, "45 s" under two minutes, then "9 min 15 s": a countdown's seconds are rounded up. */
    static String seconds(Duration duration) {
        long millis = Math.max(0, duration.toMillis());
        if (millis < 10_000 && millis % 1000 != 0) {
            return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
        }
        long s = (millis + 999) / 1000;
        return s < 120 ? s + " s" : s / 60 + " min" + (s % 60 == 0 ? "" : " " + s % 60 + " s");
    }

    private void startHeartbeat() {
        if (heartbeat == null) {
            heartbeat = Executors.newSingleThreadScheduledExecutor(task -> Thread.ofPlatform()
                    .name("console-progress").daemon().unstarted(task));
            heartbeat.scheduleWithFixedDelay(this::tick, 1, 1, TimeUnit.SECONDS);
        }
    }

    private void stopHeartbeat() {
        if (heartbeat != null) {
            heartbeat.shutdownNow();
            heartbeat = null;
        }
    }

    /** Prints {@code text} above the board, which is drawn again below it. */
    synchronized void above(String text) {
        if (boardLines > 0) {
            out.print("\u001b[" + boardLines + "F\u001b[J");
            boardLines = 0;
        }
        out.print(text.endsWith("\n") ? text : text + "\n");
        if (lastProgress != null) {
            draw(lastProgress);
        }
        out.flush();
    }

    /**
     * The SDK logs through {@code System.Logger}, which the JDK's logging prints on standard error, the terminal the
     * board is drawn on: a line written there between two redraws would shift the screen under the board, which
     * would then be drawn over part of itself. While the board is up, the SDK's records are printed above it.
     */
    private final class LogsAboveBoard extends Handler {
        private final Logger sdk = Logger.getLogger("dev.orchestrator");
        private final boolean parents = sdk.getUseParentHandlers();

        LogsAboveBoard() {
            setFormatter(new SimpleFormatter());
            sdk.addHandler(this);
            sdk.setUseParentHandlers(false);
        }

        @Override
        public void publish(LogRecord record) {
            if (isLoggable(record)) {
                above(getFormatter().format(record));
            }
        }

        @Override
        public void flush() {
            out.flush();
        }

        @Override
        public void close() {
            sdk.removeHandler(this);
            sdk.setUseParentHandlers(parents);
        }
    }

    private void draw(MissionProgress progress) {
        List<String> lines = board(clock.instant(), progress);
        StringBuilder text = new StringBuilder();
        if (boardLines > 0) {
            // up to the board's first line, then clear to the end of the screen: redrawn in place, never piled up
            text.append("\u001b[").append(boardLines).append("F\u001b[J");
        }
        lines.forEach(line -> text.append(line).append('\n'));
        out.print(text);
        out.flush();
        boardLines = lines.size();
        lastOutput = nanoClock.getAsLong();
    }

    /** The board's lines as a person reads them at {@code now}. */
    List<String> board(Instant now, MissionProgress progress) {
        List<String> lines = new ArrayList<>();
        lines.add(abbreviate(waits.isEmpty() ? status : waitingFor(), WIDTH));
        // the mission's counts, which a resumed mission's board has from its first event; the rows below list the
        // todos of the events this board saw
        int total = progress.total();
        int settled = progress.done() + progress.replaced();
        lines.add(String.format(Locale.ROOT, "todos %s %d/%d done | %d running, %d pending, %d failed, %d dropped"
                + " | reviews: %d", bar(settled, total), settled, total, progress.running(), progress.pending(),
                progress.failed(), progress.dropped(), progress.iteration()));
        int shown = 0;
        for (Map.Entry<String, Todo> entry : view.todos().entrySet()) {
            if (shown++ == BOARD_ROWS) {
                lines.add("  … " + (view.todos().size() - BOARD_ROWS) + " more");
                break;
            }
            lines.add(abbreviate("  " + MARKS.get(view.state(entry.getKey())) + " " + entry.getKey() + "  "
                    + entry.getValue().description(), WIDTH));
        }
        List<MissionView.Busy> busy = view.busy();
        lines.add("workers busy: " + busy.size());
        for (MissionView.Busy task : busy.subList(0, Math.min(busy.size(), BOARD_ROWS))) {
            lines.add(abbreviate(String.format(Locale.ROOT, "  %-12s %-9s %s", task.taskId(),
                    seconds(Duration.between(task.since(), now)), task.tool() == null ? "waiting for the model"
                    : "running " + task.tool()), WIDTH));
        }
        if (busy.size() > BOARD_ROWS) {
            lines.add("  … " + (busy.size() - BOARD_ROWS) + " more");
        }
        // the mission's count (earlier runs of a resumed one too, at its prices), not only the events this board saw:
        // what the result says at the end
        Usage used = progress.usage();
        lines.add(String.format(Locale.ROOT, "tokens: %,d (%.0f %% of input cached) | %s", used.totalTokens(),
                100 * MissionView.cachedShare(used), dollars(progress.usageByRole())));
        progress.usageByRole().forEach(role -> lines.add(abbreviate(MissionView.line(role), WIDTH)));
        long modelWaits = busy.stream().filter(b -> b.tool() == null).count();
        if (view.limiters().isEmpty()) {
            lines.add("model calls in flight or queued: " + modelWaits + " (no limiter: the provider reported no "
                    + "quota)");
        }
        for (MissionView.Limiter limiter : view.limiters()) {
            String pause = limiter.pausedUntil().filter(now::isBefore)
                    .map(until -> " | paused " + seconds(Duration.between(now, until)) + " ("
                            + causeWords(limiter.pauseCause()) + ")").orElse("");
            lines.add(abbreviate(String.format(Locale.ROOT, "limiter %s: limit %.1f | model calls in flight or "
                    + "queued: %d%s", limiter.name(), limiter.limit(), modelWaits, pause), WIDTH));
        }
        return lines;
    }

    private String dollars(List<RoleUsage> roles) {
        String spent = String.format(Locale.ROOT, "$%.4f", roles.stream().flatMap(role -> role.dollars().stream())
                .reduce(BigDecimal.ZERO, BigDecimal::add));
        List<String> unpriced = roles.stream().filter(role -> role.dollars().isEmpty()).map(RoleUsage::role).toList();
        if (unpriced.isEmpty()) {
            return spent;
        }
        // the models are named where this board saw their calls; a resumed mission's earlier ones it did not see
        return spent + " (no price for " + String.join(", ", view.unpricedModels().isEmpty()
                ? List.of("the model of " + String.join(", ", unpriced)) : view.unpricedModels()) + ")";
    }

    /** A bar of {@value #BAR} cells, filled in proportion. */
    static String bar(int done, int total) {
        int filled = total == 0 ? 0 : (int) Math.round((double) BAR * done / total);
        return "[" + "#".repeat(filled) + "-".repeat(BAR - filled) + "]";
    }

    private static String firstLine(String text) {
        String line = text.strip().lines().findFirst().orElse("");
        return abbreviate(line, 100);
    }

    private static String abbreviate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }

    /**
     * Whether standard output is an interactive terminal. {@code Console.isTerminal()} exists from Java 22 on,
     * where {@code System.console()} is no longer null when output is redirected; on 21 the null check is enough.
     */
    static boolean isTerminal() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }
}
