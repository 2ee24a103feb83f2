package dev.orchestrator.examples;

import dev.orchestrator.api.MissionEvent;
import dev.orchestrator.api.MissionListener;
import dev.orchestrator.api.MissionProgress;
import dev.orchestrator.api.Todo;
import dev.orchestrator.api.TodoStatus.State;
import java.io.Console;
import java.io.PrintStream;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Shows a mission's progress on the console: on a terminal, a live board of the todos (pending, running, done),
 * the busy workers and the tokens used, redrawn in place; otherwise, one plain line per milestone, fit for logs.
 */
public final class ConsoleProgress implements MissionListener {

    /** More todos than this are summarised on the board instead of listed. */
    private static final int BOARD_ROWS = 16;
    /** The board is redrawn at most this often, so a mission of thousands of events does not flood the terminal. */
    private static final long REDRAW_NANOS = 100_000_000L;

    private static final Map<State, String> MARKS = new EnumMap<>(Map.of(State.PENDING, "[ ]", State.RUNNING, "[~]",
            State.DONE, "[x]", State.FAILED, "[!]", State.DROPPED, "[-]"));

    private final PrintStream out;
    private final boolean live;
    private final Map<String, Todo> todos = new LinkedHashMap<>();
    private final Map<String, State> states = new LinkedHashMap<>();
    private String status = "starting";
    private int boardLines;
    private long lastDraw;

    private ConsoleProgress(PrintStream out, boolean live) {
        this.out = out;
        this.live = live;
    }

    /** A progress display on standard output: a live board on a terminal, plain lines otherwise. */
    public static ConsoleProgress toStandardOutput() {
        return new ConsoleProgress(System.out, isTerminal());
    }

    /** Plain lines on {@code out}. */
    public static ConsoleProgress plain(PrintStream out) {
        return new ConsoleProgress(out, false);
    }

    @Override
    public synchronized void onEvent(MissionEvent event, MissionProgress progress) {
        String line = track(event);
        if (live) {
            long now = System.nanoTime();
            if (event instanceof MissionEvent.MissionFinished || now - lastDraw >= REDRAW_NANOS) {
                lastDraw = now;
                draw(progress);
            }
        } else if (line != null) {
            out.println(line);
        }
    }

    /** Updates what the board shows and returns the plain line for the event, or null for none. */
    private String track(MissionEvent event) {
        return switch (event) {
            case MissionEvent.MissionStarted e -> {
                status = "mission " + e.missionId() + " started";
                yield "mission " + e.missionId() + ": " + e.goal();
            }
            case MissionEvent.MissionResumed e -> {
                status = "resumed from " + e.eventsReplayed() + " journaled events";
                yield status + (e.tasksResumed().isEmpty() ? "" : ", taking up " + String.join(", ",
                        e.tasksResumed()));
            }
            case MissionEvent.BriefWritten e -> {
                status = "the Commander wrote the brief; planning";
                yield "brief written";
            }
            case MissionEvent.TodosPlanned e -> {
                e.replaces().forEach(id -> states.put(id, State.DROPPED));
                e.todos().forEach(todo -> {
                    todos.put(todo.id(), todo);
                    states.put(todo.id(), State.PENDING);
                });
                status = (e.iteration() == 0 ? "plan" : "fixes after review " + e.iteration()) + ": "
                        + e.todos().size() + " todos";
                yield status + (e.todos().isEmpty() ? "" : " (" + String.join(", ", e.todos().stream()
                        .map(Todo::id).toList()) + ")");
            }
            case MissionEvent.TaskDispatched e -> {
                states.put(e.todoId(), State.RUNNING);
                yield "  started  " + e.todoId() + (e.attempt() > 1 ? " (attempt " + e.attempt() + ")" : "");
            }
            case MissionEvent.TaskFinished e -> {
                states.put(e.todoId(), e.succeeded() ? State.DONE : State.FAILED);
                yield "  " + (e.succeeded() ? "done     " : "failed   ") + e.todoId() + ": " + firstLine(e.summary());
            }
            case MissionEvent.ToolCallCompleted e -> e.result().isError()
                    ? "    " + e.taskId() + " " + e.tool() + " failed: " + firstLine(e.result().content()) : null;
            case MissionEvent.VerifyCompleted e -> {
                status = "review " + e.iteration() + ": verify " + (e.result().passed() ? "passed" : "failed");
                yield "verify '" + e.result().command() + "' " + (e.result().passed() ? "passed"
                        : "failed with exit code " + e.result().exitCode());
            }
            case MissionEvent.ReviewCompleted e -> {
                status = "review " + e.iteration() + ": " + e.issues().size() + " open issues";
                yield status + e.issues().stream().map(i -> "\n  - " + i.description()).reduce("", String::concat);
            }
            case MissionEvent.MissionFinished e -> {
                status = "finished: " + e.outcome();
                yield "finished: " + e.outcome() + ": " + e.reason();
            }
            default -> null;
        };
    }

    private void draw(MissionProgress progress) {
        StringBuilder board = new StringBuilder();
        if (boardLines > 0) {
            board.append("\u001b[").append(boardLines).append("F\u001b[J");
        }
        int lines = 0;
        board.append(status).append('\n');
        lines++;
        board.append(String.format("todos: %d done, %d pending, %d failed | workers busy: %d | tokens: %,d | "
                + "reviews: %d%n", progress.done(), progress.pending(), progress.failed(), progress.running(),
                progress.usage().totalTokens(), progress.iteration()));
        lines++;
        int shown = 0;
        for (Map.Entry<String, Todo> entry : todos.entrySet()) {
            if (shown++ == BOARD_ROWS) {
                board.append("  … ").append(todos.size() - BOARD_ROWS).append(" more\n");
                lines++;
                break;
            }
            board.append("  ").append(MARKS.get(states.get(entry.getKey()))).append(' ').append(entry.getKey())
                    .append("  ").append(abbreviate(entry.getValue().description(), 70)).append('\n');
            lines++;
        }
        out.print(board);
        out.flush();
        boardLines = lines;
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
    private static boolean isTerminal() {
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
