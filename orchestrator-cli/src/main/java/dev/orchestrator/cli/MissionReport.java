package dev.orchestrator.cli;

import dev.orchestrator.api.Issue;
import dev.orchestrator.api.MissionEvent;
import dev.orchestrator.api.Todo;
import dev.orchestrator.api.Usage;
import dev.orchestrator.core.llm.ModelPrices;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A mission's report as one self-contained HTML file, built from its journal: a timeline of the tasks per Worker
 * (retries, waits, failures and compactions marked), the tokens per role over time with the cached share, the
 * limiter's limit and the model calls in flight over time (429s and pauses marked), the todos with their outcomes,
 * the Reviewer's issues per review, the verify runs with their output, and the totals and cost. The charts are SVG
 * written here; the page loads nothing from anywhere and runs no script.
 *
 * <pre>{@code
 * Files.writeString(Path.of("report.html"), MissionReport.html(Path.of("my-service/.orchestrator")));
 * }</pre>
 */
public final class MissionReport {

    private static final int WIDTH = 1000;
    private static final int LEFT = 150;
    private static final int RIGHT = 20;
    private static final int LANE = 22;
    private static final String[] COLOURS = {"#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948",
            "#b07aa1", "#9c755f"};

    private MissionReport() {
    }

    /**
     * The report of the mission whose journal is in {@code directory} (or in its {@code .orchestrator}
     * subdirectory), read without changing it.
     *
     * @param directory the journal directory, or the workspace holding it
     * @return the HTML page
     * @throws dev.orchestrator.core.journal.JournalCorruptedException if the journal is damaged
     * @throws IllegalArgumentException if there is no journal there
     */
    public static String html(Path directory) {
        return html(MissionJournal.read(new JournalDirectory(directory)));
    }

    static String html(MissionJournal journal) {
        return new Builder(journal).build();
    }

    /** One report being written: the events walked once into series, then the page. */
    private static final class Builder {

        private final MissionJournal journal;
        private final MissionView view = new MissionView(ModelPrices.defaults());
        private final List<Span> spans = new ArrayList<>();
        private final Map<String, Span> open = new LinkedHashMap<>();
        private final List<Mark> marks = new ArrayList<>();
        private final Map<String, List<Point>> tokens = new TreeMap<>();
        private final Map<String, List<Point>> cached = new TreeMap<>();
        private final List<Point> limit = new ArrayList<>();
        private final List<Point> inFlight = new ArrayList<>();
        private final List<Mark> limiterMarks = new ArrayList<>();
        private final List<Pause> pauses = new ArrayList<>();
        private final List<Phase> phases = new ArrayList<>();
        /** When the mission was run again on its journal (after a crash or a stop), and what was replayed. */
        private final List<Mark> restarts = new ArrayList<>();
        /** When the step the next phase ends began: the last milestone of the engine's loop. */
        private Instant phaseFrom;
        private Instant previous;
        private Instant start;
        private Instant end;

        /** A step of the engine's loop between the Workers' batches: triage, plan, verify, review, fixes. */
        private record Phase(String name, Instant from, Instant to, String kind) {
        }

        /** A task's attempt on the timeline; {@code end} null while it runs, {@code lane} set when laid out. */
        private static final class Span {
            final String taskId;
            final String todoId;
            final int attempt;
            final Instant from;
            Instant to;
            String outcome = "running";
            int lane;

            Span(String taskId, String todoId, int attempt, Instant from) {
                this.taskId = taskId;
                this.todoId = todoId;
                this.attempt = attempt;
                this.from = from;
            }
        }

        private record Mark(String taskId, Instant at, String kind, String text) {
        }

        private record Point(Instant at, double value) {
        }

        private record Pause(Instant from, Instant until, String cause) {
        }

        Builder(MissionJournal journal) {
            this.journal = journal;
        }

        String build() {
            for (MissionJournal.Recorded recorded : journal.events()) {
                walk(recorded.event());
            }
            if (start == null) {
                start = Instant.EPOCH;
                end = Instant.EPOCH.plusSeconds(1);
            }
            if (!end.isAfter(start)) {
                end = start.plusMillis(1);
            }
            layOut();
            return page();
        }

        private void opened(MissionEvent.TaskDispatched e) {
            Span span = new Span(MissionView.taskId(e.todoId(), e.attempt()), e.todoId(), e.attempt(), e.at());
            spans.add(span);
            open.put(span.taskId, span);
        }

        private void walk(MissionEvent event) {
            view.apply(event);
            if (start == null) {
                start = event.at();
            }
            end = end == null || event.at().isAfter(end) ? event.at() : end;
            phase(event);
            switch (event) {
                case MissionEvent.TaskDispatched e -> opened(e);
                case MissionEvent.TasksDispatched e -> e.each().forEach(this::opened);
                case MissionEvent.TaskFinished e -> close(MissionView.taskId(e.todoId(), e.attempt()), e.at(),
                        e.succeeded() ? "done" : "failed");
                case MissionEvent.TaskDeferred e -> {
                    close(e.taskId(), e.at(), "deferred");
                    marks.add(new Mark(e.taskId(), e.at(), "wait", "put back until " + e.retryAt() + ": "
                            + e.reason()));
                }
                case MissionEvent.CallRetried e -> {
                    marks.add(new Mark(e.taskId(), e.at(), "retry", "call retried after " + e.error()));
                    // the provider's error is classified in its text: RateLimited for a 429
                    if (e.error().startsWith("RateLimited") || e.error().contains(" 429")) {
                        limiterMarks.add(new Mark(e.taskId(), e.at(), "r429", e.error()));
                    }
                }
                case MissionEvent.LlmCallFailed e -> marks.add(new Mark(e.taskId(), e.at(), "failure", "call "
                        + "failed: " + e.error()));
                case MissionEvent.ToolCallCompleted e -> {
                    if (e.result().isError()) {
                        marks.add(new Mark(e.taskId(), e.at(), "failure", e.tool() + " failed: "
                                + e.result().content()));
                    }
                }
                case MissionEvent.AgentNote e -> {
                    // the engine's note when it summarised a conversation near its context window
                    if (e.text().startsWith("compacted the conversation")) {
                        marks.add(new Mark(e.taskId(), e.at(), "compaction", e.text()));
                    }
                }
                case MissionEvent.LlmCallCompleted e -> {
                    // the view has folded this call already
                    Usage total = view.usageByRole().get(e.role()).usage();
                    tokens.computeIfAbsent(e.role(), r -> new ArrayList<>()).add(new Point(e.at(),
                            total.totalTokens()));
                    cached.computeIfAbsent(e.role(), r -> new ArrayList<>()).add(new Point(e.at(),
                            total.cacheReadTokens()));
                }
                case MissionEvent.ConcurrencyChanged e -> limit.add(new Point(e.at(), e.limit()));
                case MissionEvent.CallsPaused e -> pauses.add(new Pause(e.at(), e.until(), e.cause()));
                case MissionEvent.MissionFinished e -> open.values().forEach(s -> s.outcome = "stopped");
                default -> {
                }
            }
            previous = event.at();
            long waitingForModel = view.busy().stream().filter(b -> b.tool() == null).count();
            if (inFlight.isEmpty() || inFlight.getLast().value() != waitingForModel) {
                inFlight.add(new Point(event.at(), waitingForModel));
            }
        }

        private void phase(MissionEvent event) {
            switch (event) {
                case MissionEvent.MissionStarted e -> phaseFrom = e.at();
                case MissionEvent.MissionResumed e -> {
                    phaseFrom = e.at();
                    restarts.add(new Mark("", e.at(), "restart", "resumed from " + e.eventsReplayed()
                            + " journaled events" + (e.tasksResumed().isEmpty() ? "" : ", taking up "
                            + String.join(", ", e.tasksResumed()))));
                }
                case MissionEvent.BriefWritten e -> phaseDone("triage", e.at(), "commander");
                case MissionEvent.TodosPlanned e -> phaseDone(e.iteration() == 0 ? "plan" : "fixes " + e.iteration(),
                        e.at(), e.iteration() == 0 ? "planner" : "commander");
                case MissionEvent.VerifyCompleted e -> {
                    // the verify command starts when the last Worker's todo ends: the event just before this one
                    phases.add(new Phase("verify " + e.iteration(), previous == null ? e.at() : previous, e.at(),
                            e.result().passed() ? "verify ok" : "verify bad"));
                    phaseFrom = e.at();
                }
                case MissionEvent.ReviewCompleted e -> phaseDone("review " + e.iteration(), e.at(), "reviewer");
                default -> {
                }
            }
        }

        private void phaseDone(String name, Instant at, String kind) {
            phases.add(new Phase(name, phaseFrom == null ? at : phaseFrom, at, kind));
            phaseFrom = at;
        }

        private void close(String taskId, Instant at, String outcome) {
            Span span = open.remove(taskId);
            if (span != null) {
                span.to = at;
                span.outcome = outcome;
            }
        }

        /** Each attempt to the lowest lane free at its start: the lanes are the Workers busy at once. */
        private void layOut() {
            List<Instant> laneFree = new ArrayList<>();
            for (Span span : spans) {
                Instant to = span.to == null ? end : span.to;
                int lane = 0;
                while (lane < laneFree.size() && laneFree.get(lane).isAfter(span.from)) {
                    lane++;
                }
                if (lane == laneFree.size()) {
                    laneFree.add(to);
                } else {
                    laneFree.set(lane, to);
                }
                span.lane = lane;
            }
        }

        private double x(Instant at) {
            double share = (double) Duration.between(start, at).toNanos() / Duration.between(start, end).toNanos();
            return LEFT + Math.max(0, Math.min(1, share)) * (WIDTH - LEFT - RIGHT);
        }

        private String page() {
            StringBuilder html = new StringBuilder(64 * 1024);
            html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                    .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                    .append("<title>Mission ").append(esc(view.missionId())).append("</title><style>")
                    .append(STYLE).append("</style></head><body>\n");
            summary(html);
            timeline(html);
            tokenChart(html);
            limiterChart(html);
            todos(html);
            reviews(html);
            verifies(html);
            costs(html);
            html.append("<footer>Built from ").append(journal.events().size()).append(" events of ")
                    .append(esc(journal.name())).append(" by orchestrator report.")
                    .append(journal.snapshotNote().isEmpty() ? "" : " " + esc(journal.snapshotNote()) + ".")
                    .append("</footer>\n</body></html>\n");
            return html.toString();
        }

        private void summary(StringBuilder html) {
            String outcome = view.finished().map(f -> f.outcome().name()).orElse("NOT FINISHED");
            html.append("<header><h1>Mission ").append(esc(view.missionId())).append("</h1><p class=\"goal\">")
                    .append(esc(view.goal())).append("</p><p><span class=\"outcome ")
                    .append(view.completed() ? "ok" : "bad").append("\" id=\"outcome\">").append(esc(outcome))
                    .append("</span> ").append(esc(view.finished().map(MissionEvent.MissionFinished::reason)
                            .orElse("the journal ends before the mission did: it is running, or it can resume")))
                    .append("</p><dl class=\"totals\">");
            total(html, "Started", String.valueOf(start));
            total(html, "Wall time", seconds(Duration.between(start, end)));
            total(html, "Todos", view.todos().size() + " (" + view.counts().get(dev.orchestrator.api.TodoStatus
                    .State.DONE) + " done)");
            total(html, "Model calls", String.valueOf(view.modelCalls()));
            total(html, "Tool calls", String.valueOf(view.toolCalls()));
            total(html, "Tokens", String.format(Locale.ROOT, "%,d", view.usage().totalTokens()));
            total(html, "Cached input", percent(MissionView.cachedShare(view.usage())));
            total(html, "Cost", dollars(view.dollars()));
            total(html, "Reviews", String.valueOf(view.reviews().size()));
            total(html, "Workspace", view.workspace());
            html.append("</dl></header>\n");
        }

        private static void total(StringBuilder html, String name, String value) {
            html.append("<div><dt>").append(esc(name)).append("</dt><dd>").append(esc(value)).append("</dd></div>");
        }

        private void timeline(StringBuilder html) {
            int lanes = spans.stream().mapToInt(s -> s.lane + 1).max().orElse(0);
            int height = 30 + (Math.max(1, lanes) + 1) * LANE + 24;
            html.append("<section><h2>Timeline: tasks per Worker</h2><p class=\"note\">The engine's steps on the first "
                    + "lane (triage, plan, verify, review, fixes); below, each bar is one attempt at a todo, on the "
                    + "lane "
                    + "of the Worker that ran it; a second attempt has a dashed outline. Marks: "
                    + "<span class=\"k retry\">▲</span> retried call, <span class=\"k wait\">◆</span> put back "
                    + "to wait, <span class=\"k failure\">✖</span> failure, <span class=\"k compaction\">●</span> "
                    + "compaction; a dashed line where the mission was resumed from its journal. Hover for details."
                    + "</p>");
            html.append(svgOpen("timeline", height));
            axis(html, height - 20, 24);
            html.append(String.format(Locale.ROOT, "<text class=\"lane\" x=\"%d\" y=\"%d\">Engine</text>", LEFT - 8,
                    44));
            for (Phase phase : phases) {
                double from = x(phase.from());
                double to = Math.max(from + 2, x(phase.to()));
                html.append(String.format(Locale.ROOT, "<g><rect class=\"phase %s\" x=\"%.1f\" y=\"32\" "
                        + "width=\"%.1f\" height=\"%d\" rx=\"3\"><title>%s: %s</title></rect>%s</g>", phase.kind(),
                        from, to - from, LANE - 6, esc(phase.name()), seconds(Duration.between(phase.from(),
                        phase.to())), to - from > 40 ? String.format(Locale.ROOT, "<text class=\"barlabel\" "
                        + "x=\"%.1f\" y=\"45\">%s</text>", from + 4, esc(phase.name())) : ""));
            }
            for (int lane = 0; lane < lanes; lane++) {
                double y = 30 + (lane + 1) * LANE;
                html.append(String.format(Locale.ROOT, "<text class=\"lane\" x=\"%d\" y=\"%.1f\">Worker %d</text>",
                        LEFT - 8, y + 14, lane + 1));
            }
            Map<String, Span> byTask = new LinkedHashMap<>();
            for (Span span : spans) {
                byTask.put(span.taskId, span);
                double y = 30 + (span.lane + 1) * LANE;
                double from = x(span.from);
                double to = Math.max(from + 2, x(span.to == null ? end : span.to));
                String todo = view.todos().containsKey(span.todoId) ? view.todos().get(span.todoId).description()
                        : "";
                html.append(String.format(Locale.ROOT, "<g><rect class=\"bar %s%s\" data-task=\"%s\" x=\"%.1f\" "
                        + "y=\"%.1f\" width=\"%.1f\" height=\"%d\" rx=\"3\"><title>%s (attempt %d): %s, %s, %s"
                        + "</title></rect>", span.outcome, span.attempt > 1 ? " again" : "", esc(span.taskId),
                        from, y + 2, to - from, LANE - 6, esc(span.todoId), span.attempt, span.outcome,
                        seconds(Duration.between(span.from, span.to == null ? end : span.to)), esc(todo)));
                if (to - from > 40) {
                    html.append(String.format(Locale.ROOT, "<text class=\"barlabel\" x=\"%.1f\" y=\"%.1f\">%s</text>",
                            from + 4, y + 15, esc(span.taskId)));
                }
                html.append("</g>");
            }
            for (Mark restart : restarts) {
                html.append(String.format(Locale.ROOT, "<g class=\"mark restart\"><title>%s</title><line x1=\"%.1f\" "
                        + "y1=\"24\" x2=\"%.1f\" y2=\"%d\"/></g>", esc(restart.at() + ": " + restart.text()),
                        x(restart.at()), x(restart.at()), height - 20));
            }
            for (Mark mark : marks) {
                Span span = byTask.get(mark.taskId());
                double y = 30 + (span == null ? 0 : span.lane + 1) * LANE + LANE / 2.0 - 1;
                html.append(marker(mark, x(mark.at()), y));
            }
            html.append("</svg></section>\n");
        }

        private static String marker(Mark mark, double x, double y) {
            String shape = switch (mark.kind()) {
                case "retry", "r429" -> String.format(Locale.ROOT, "<path d=\"M%.1f %.1fl5 8h-10z\"/>", x, y - 5);
                case "wait" -> String.format(Locale.ROOT, "<path d=\"M%.1f %.1fl5 5l-5 5l-5 -5z\"/>", x, y - 5);
                case "failure" -> String.format(Locale.ROOT, "<path d=\"M%.1f %.1fl8 8m0 -8l-8 8\"/>", x - 4, y - 4);
                default -> String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\"/>", x, y);
            };
            return "<g class=\"mark " + mark.kind() + "\"><title>" + esc(mark.at() + " " + mark.taskId() + ": "
                    + firstLine(mark.text())) + "</title>" + shape + "</g>";
        }

        private void tokenChart(StringBuilder html) {
            int height = 220;
            double max = tokens.values().stream().flatMap(List::stream).mapToDouble(Point::value).max().orElse(1);
            html.append("<section><h2>Tokens per role over time</h2><p class=\"note\">Cumulative tokens of each "
                    + "role's model calls (solid) and the part of their input served from the provider's prompt "
                    + "cache (dashed).</p>");
            html.append(svgOpen("tokens", height));
            axis(html, height - 20, 10);
            yAxis(html, max, 10, height - 30, "tokens");
            int colour = 0;
            StringBuilder legend = new StringBuilder("<ul class=\"legend\">");
            for (Map.Entry<String, List<Point>> role : tokens.entrySet()) {
                String c = COLOURS[colour++ % COLOURS.length];
                html.append(polyline(role.getValue(), max, 10, height - 30, c, "series role-"
                        + esc(role.getKey()), false));
                html.append(polyline(cached.get(role.getKey()), max, 10, height - 30, c, "cached", true));
                Usage used = view.usageByRole().get(role.getKey()).usage();
                legend.append("<li><span class=\"swatch\" style=\"background:").append(c).append("\"></span>")
                        .append(esc(role.getKey())).append(": ").append(String.format(Locale.ROOT, "%,d",
                                used.totalTokens())).append(" tokens, ")
                        .append(percent(MissionView.cachedShare(used))).append(" of input cached</li>");
            }
            html.append("</svg>").append(legend).append("</ul></section>\n");
        }

        private void limiterChart(StringBuilder html) {
            int height = 200;
            double max = Math.max(1, Math.max(limit.stream().mapToDouble(Point::value).max().orElse(0),
                    inFlight.stream().mapToDouble(Point::value).max().orElse(0))) * 1.1;
            html.append("<section><h2>Limiter and model calls in flight</h2><p class=\"note\">")
                    .append(limit.isEmpty() ? "No limiter changed its limit: the provider reported no quota (the "
                            + "scripted provider has none). " : "The concurrency limit (solid); ")
                    .append("Steps: the model calls in flight or queued, i.e. the Worker tasks waiting for the "
                            + "model. Pauses are shaded; <span class=\"k r429\">▲</span> rate limited (429).</p>");
            html.append(svgOpen("limiter", height));
            for (Pause pause : pauses) {
                double from = x(pause.from());
                html.append(String.format(Locale.ROOT, "<rect class=\"pause\" x=\"%.1f\" y=\"10\" width=\"%.1f\" "
                        + "height=\"%d\"><title>paused until %s: %s</title></rect>", from,
                        Math.max(2, x(pause.until()) - from), height - 40, pause.until(), esc(pause.cause())));
            }
            axis(html, height - 20, 10);
            yAxis(html, max, 10, height - 30, "calls");
            html.append(polyline(limit, max, 10, height - 30, COLOURS[0], "limit", false));
            html.append(polyline(inFlight, max, 10, height - 30, COLOURS[1], "inflight", false));
            for (Mark mark : limiterMarks) {
                html.append(marker(mark, x(mark.at()), 16));
            }
            html.append("</svg></section>\n");
        }

        private void todos(StringBuilder html) {
            html.append("<section><h2>Todos</h2><table class=\"todos\"><thead><tr><th>id</th><th>state</th>"
                    + "<th>attempts</th><th>todo</th><th>outcome</th></tr></thead><tbody>");
            for (Todo todo : view.todos().values()) {
                String state = view.state(todo.id()).name();
                html.append("<tr class=\"todo ").append(state.toLowerCase(Locale.ROOT)).append("\"><td>")
                        .append(esc(todo.id())).append("</td><td>").append(state).append("</td><td>")
                        .append(view.attempts(todo.id())).append("</td><td>").append(esc(todo.description()))
                        .append(todo.dependsOn().isEmpty() ? "" : "<br><small>after " + esc(String.join(", ",
                                todo.dependsOn())) + "</small>").append("</td><td>")
                        .append(esc(firstLine(view.summary(todo.id())))).append("</td></tr>");
            }
            html.append("</tbody></table></section>\n");
        }

        private void reviews(StringBuilder html) {
            html.append("<section><h2>Reviews</h2>");
            if (view.reviews().isEmpty()) {
                html.append("<p class=\"note\">No review yet.</p>");
            }
            for (MissionEvent.ReviewCompleted review : view.reviews()) {
                html.append("<div class=\"review\"><h3>Review ").append(review.iteration()).append(": ")
                        .append(review.issues().size()).append(review.issues().size() == 1 ? " issue" : " issues")
                        .append("</h3><ul>");
                for (Issue issue : review.issues()) {
                    html.append("<li class=\"issue\">").append(esc(issue.description()))
                            .append(issue.files().isEmpty() ? "" : " <small>(" + esc(String.join(", ",
                                    issue.files())) + ")</small>").append("</li>");
                }
                html.append("</ul></div>");
            }
            html.append("</section>\n");
        }

        private void verifies(StringBuilder html) {
            html.append("<section><h2>Verify runs</h2>");
            for (MissionEvent.VerifyCompleted verify : view.verifies()) {
                html.append("<details class=\"verify ").append(verify.result().passed() ? "ok" : "bad")
                        .append("\"><summary>Before review ").append(verify.iteration()).append(": <code>")
                        .append(esc(verify.result().command())).append("</code> ")
                        .append(verify.result().passed() ? "passed" : verify.result().timedOut() ? "timed out"
                                : "failed with exit code " + verify.result().exitCode())
                        .append("</summary><pre>").append(esc(verify.result().output())).append("</pre></details>");
            }
            html.append("</section>\n");
        }

        private void costs(StringBuilder html) {
            html.append("<section><h2>Totals and cost</h2><table class=\"costs\"><thead><tr><th>role</th>"
                    + "<th>calls</th><th>input</th><th>output</th><th>cache read</th><th>cache write</th><th>total</th>"
                    + "<th>cached</th><th>cost</th></tr></thead><tbody>");
            view.usageByRole().values().forEach(role -> costRow(html, role.role(), role.calls(), role.usage(),
                    role.dollars().map(MissionReport::dollars).orElse("no price")));
            costRow(html, "all", view.modelCalls(), view.usage(), dollars(view.dollars()));
            html.append("</tbody></table>");
            if (!view.unpricedModels().isEmpty()) {
                html.append("<p class=\"note\">No price is known for ").append(esc(String.join(", ",
                        view.unpricedModels()))).append(": the cost leaves their calls out.</p>");
            }
            html.append("</section>\n");
        }

        private static void costRow(StringBuilder html, String role, long calls, Usage used, String dollars) {
            html.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%,d</td><td>%,d</td><td>%,d</td><td>%,d</td><td>%,d</td>"
                    + "<td>%,d</td><td>%s</td><td>%s</td></tr>", esc(role), calls, used.inputTokens(), used.outputTokens(),
                    used.cacheReadTokens(), used.cacheWriteTokens(), used.totalTokens(),
                    percent(MissionView.cachedShare(used)), dollars));
        }

        private String svgOpen(String id, int height) {
            return String.format(Locale.ROOT, "<svg id=\"%s\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d "
                    + "%d\" width=\"%d\" height=\"%d\" role=\"img\">", id, WIDTH, height, WIDTH, height);
        }

        /** The time axis at {@code y}, with ticks from {@code top}. */
        private void axis(StringBuilder html, int y, int top) {
            html.append(String.format(Locale.ROOT, "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>",
                    LEFT, y, WIDTH - RIGHT, y));
            Duration span = Duration.between(start, end);
            for (int i = 0; i <= 5; i++) {
                Instant at = start.plus(span.multipliedBy(i).dividedBy(5));
                double x = x(at);
                html.append(String.format(Locale.ROOT, "<line class=\"grid\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" "
                        + "y2=\"%d\"/><text class=\"tick\" x=\"%.1f\" y=\"%d\">%s</text>", x, top, x, y, x, y + 14,
                        seconds(Duration.between(start, at))));
            }
        }

        private static void yAxis(StringBuilder html, double max, int top, int bottom, String unit) {
            html.append(String.format(Locale.ROOT, "<text class=\"tick y\" x=\"%d\" y=\"%d\">%,.0f %s</text>"
                    + "<text class=\"tick y\" x=\"%d\" y=\"%d\">0</text>", LEFT - 8, top + 10, max, unit, LEFT - 8,
                    bottom));
        }

        /** A step line through {@code points} (a value holds until the next), scaled to {@code max}. */
        private String polyline(List<Point> points, double max, int top, int bottom, String colour, String kind,
                boolean dashed) {
            if (points == null || points.isEmpty()) {
                return "";
            }
            StringBuilder d = new StringBuilder();
            double lastY = bottom;
            double firstX = x(points.getFirst().at());
            d.append(String.format(Locale.ROOT, "M%.1f %.1f", firstX, (double) bottom));
            for (Point point : points) {
                double px = x(point.at());
                double py = bottom - (bottom - top) * point.value() / max;
                d.append(String.format(Locale.ROOT, "H%.1fV%.1f", px, py));
                lastY = py;
            }
            d.append(String.format(Locale.ROOT, "H%.1f", x(end)));
            return String.format(Locale.ROOT, "<path class=\"%s\" d=\"%s\" fill=\"none\" stroke=\"%s\" "
                    + "stroke-width=\"2\"%s data-end=\"%.1f\"/>", kind, d, colour, dashed
                    ? " stroke-dasharray=\"5 3\"" : "", lastY);
        }

        private static String seconds(Duration duration) {
            long millis = duration.toMillis();
            return millis < 60_000 ? String.format(Locale.ROOT, "%.1f s", millis / 1000.0)
                    : String.format(Locale.ROOT, "%d min %02d s", millis / 60_000, millis / 1000 % 60);
        }
    }

    private static String percent(double share) {
        return String.format(Locale.ROOT, "%.0f %%", 100 * share);
    }

    private static String dollars(BigDecimal dollars) {
        return String.format(Locale.ROOT, "$%.4f", dollars);
    }

    private static String firstLine(String text) {
        String line = text.strip().lines().findFirst().orElse("");
        return line.length() <= 160 ? line : line.substring(0, 159) + "…";
    }

    static String esc(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    private static final String STYLE = """
            body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:24px auto;max-width:1040px;\
            color:#222;padding:0 12px}
            h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 6px;border-bottom:1px solid #ddd}\
            h3{font-size:14px;margin:10px 0 4px}
            .goal{color:#444;margin:0 0 8px}.note{color:#666;font-size:12.5px;margin:2px 0 6px}
            .outcome{font-weight:600;padding:2px 8px;border-radius:4px;color:#fff}.outcome.ok{background:#2e7d32}\
            .outcome.bad{background:#c62828}
            .totals{display:flex;flex-wrap:wrap;gap:6px 22px;margin:10px 0}.totals dt{font-size:11px;color:#777;\
            text-transform:uppercase}.totals dd{margin:0;font-weight:600}
            svg{display:block;max-width:100%;height:auto;background:#fcfcfc;border:1px solid #eee}
            .bar.done{fill:#59a14f}.bar.failed{fill:#e15759}.bar.deferred{fill:#edc948}.bar.running,.bar.stopped\
            {fill:#9ab}.bar.again{stroke:#333;stroke-width:1;stroke-dasharray:3 2}
            .phase{fill:#8da0b3}.phase.planner{fill:#f28e2b}.phase.reviewer{fill:#59a14f}.phase.verify.ok{fill:#2e7d32}\
            .phase.verify.bad{fill:#c62828}.barlabel{font-size:10px;fill:#fff;pointer-events:none}
            .lane{font-size:11px;text-anchor:end;fill:#555}
            .tick{font-size:10px;fill:#777;text-anchor:middle}.tick.y{text-anchor:end}
            .axis{stroke:#999}.grid{stroke:#eee}
            .mark.retry path,.k.retry{fill:#f28e2b;color:#f28e2b}.mark.wait path,.k.wait{fill:#b07aa1;color:#b07aa1}\
            .mark.failure path{stroke:#c62828;stroke-width:2.5}.k.failure{color:#c62828}\
            .mark.compaction circle,.k.compaction{fill:#4e79a7;color:#4e79a7}.mark.r429 path,.k.r429{fill:#c62828;\
            color:#c62828}
            .pause{fill:rgba(237,201,72,.25)}.mark.restart line{stroke:#333;stroke-width:1.5;stroke-dasharray:4 3}
            .legend{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:4px 18px;font-size:12.5px}\
            .swatch{display:inline-block;width:12px;height:12px;border-radius:2px;margin-right:5px;vertical-align:-1px}
            table{border-collapse:collapse;width:100%;font-size:13px}th,td{text-align:left;padding:4px 8px;\
            border-bottom:1px solid #eee;vertical-align:top}th{background:#f5f5f5}
            tr.todo.done td:nth-child(2){color:#2e7d32}tr.todo.failed td:nth-child(2),tr.todo.dropped \
            td:nth-child(2){color:#c62828}
            .costs td:not(:first-child),.costs th:not(:first-child){text-align:right}
            details.verify{margin:6px 0;border-left:4px solid #ccc;padding:2px 8px}details.verify.ok\
            {border-color:#2e7d32}details.verify.bad{border-color:#c62828}
            pre{white-space:pre-wrap;background:#f6f6f6;padding:8px;font-size:12px;max-height:320px;overflow:auto}
            footer{margin:30px 0;color:#888;font-size:12px}
            """;
}
