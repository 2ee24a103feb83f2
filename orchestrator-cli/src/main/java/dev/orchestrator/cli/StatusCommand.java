package dev.orchestrator.cli;

import dev.orchestrator.api.MissionEvent;
import dev.orchestrator.api.Todo;
import dev.orchestrator.api.TodoStatus.State;
import dev.orchestrator.api.Usage;
import dev.orchestrator.core.llm.ModelPrices;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code orchestrator status JOURNAL [--json]}: where a mission stands, read offline from its journal; with a
 * database that holds several missions and no {@code --mission}, the list of them.
 */
@Command(name = "status", mixinStandardHelpOptions = true, versionProvider = OrchestratorCli.Version.class,
        description = "Shows where a mission stands, from its journal alone (no model, nothing changed): todos by "
                + "state, usage and cost, the last events, and how it ended or that it can resume.")
final class StatusCommand extends JournalCommand {

    private static final int LAST_EVENTS = 8;

    @Option(names = "--json", description = "One JSON object instead of text.")
    boolean json;

    @Override
    public Integer call() {
        PrintWriter out = out();
        JournalSource source = source();
        MissionJournal journal;
        try {
            journal = MissionJournal.read(source);
        } catch (JournalSource.Choose several) {
            out.println(several.listing());
            out.flush();
            return OrchestratorCli.COMPLETED;
        }
        MissionView view = journal.view(ModelPrices.defaults());
        List<MissionJournal.Recorded> last = journal.events().subList(Math.max(0, journal.events().size()
                - LAST_EVENTS), journal.events().size());
        out.println(json ? json(journal, view, last) : text(source, journal, view, last));
        out.flush();
        return OrchestratorCli.COMPLETED;
    }

    private static String ending(JournalSource source, MissionView view) {
        return view.finished().map(f -> f.outcome() + ": " + CliWording.of(f.reason()) + (view.completed() ? ""
                : " (it can go on: " + source.resumeHint() + ")"))
                .orElse(view.events() == 0 ? "no event yet" : "not finished: it is running, or it stopped "
                        + "(a crash, Ctrl-C); if it is not running, go on: " + source.resumeHint());
    }

    private static String text(JournalSource source, MissionJournal journal, MissionView view,
            List<MissionJournal.Recorded> last) {
        StringBuilder text = new StringBuilder();
        text.append("mission ").append(view.missionId()).append(": ").append(view.goal()).append('\n');
        text.append("workspace: ").append(view.workspace()).append(" | verify: ").append(view.verifyCommand())
                .append('\n');
        text.append("outcome: ").append(ending(source, view)).append('\n');
        Map<State, Integer> counts = view.counts();
        text.append("todos: ").append(view.todos().size());
        counts.forEach((state, n) -> text.append(n == 0 ? "" : ", " + n + " " + state.name()
                .toLowerCase(Locale.ROOT)));
        text.append('\n');
        for (Todo todo : view.todos().values()) {
            text.append(String.format(Locale.ROOT, "  %-8s %-10s %s%n", view.state(todo.id()), todo.id(),
                    todo.description()));
        }
        Usage usage = view.usage();
        text.append(String.format(Locale.ROOT, "usage: %,d tokens (%,d input, %,d output, %,d cache read, %,d cache "
                + "write; %.0f %% of input cached) in %,d model calls, %,d tool calls%n", usage.totalTokens(),
                usage.inputTokens(), usage.outputTokens(), usage.cacheReadTokens(), usage.cacheWriteTokens(),
                100 * MissionView.cachedShare(usage), view.modelCalls(), view.toolCalls()));
        view.usageByRole().values().forEach(role -> text.append(MissionView.line(role)).append('\n'));
        text.append(String.format(Locale.ROOT, "cost: $%.4f%s%n", view.dollars(), view.unpricedModels().isEmpty()
                ? "" : " (no price known for " + String.join(", ", view.unpricedModels()) + ")"));
        text.append("reviews: ").append(view.reviews().size()).append(", verify runs: ")
                .append(view.verifies().size());
        if (!view.verifies().isEmpty()) {
            MissionEvent.VerifyCompleted verify = view.verifies().getLast();
            text.append(" (the last ").append(verify.result().passed() ? "passed" : "failed with exit code "
                    + verify.result().exitCode()).append(')');
        }
        text.append('\n');
        text.append("last events:\n");
        last.forEach(r -> text.append(EventText.line(r.seq(), r.event())).append('\n'));
        text.append("journal: ").append(journal.name()).append(", ").append(journal.contents().lastSeq())
                .append(" events ")
                .append(journal.contents().where());
        journal.contents().tornTail().ifPresent(torn -> text.append("; ").append(torn));
        if (!journal.snapshotNote().isEmpty()) {
            text.append("; ").append(journal.snapshotNote());
        }
        return text.toString();
    }

    private static String json(MissionJournal journal, MissionView view, List<MissionJournal.Recorded> last) {
        ObjectNode root = EventText.JSON.createObjectNode();
        root.put("missionId", view.missionId());
        root.put("goal", view.goal());
        root.put("workspace", view.workspace());
        root.put("verifyCommand", view.verifyCommand());
        view.finished().ifPresentOrElse(f -> {
            root.put("outcome", f.outcome().name());
            root.put("reason", f.reason());
        }, () -> root.putNull("outcome"));
        root.put("canResume", !view.completed());
        ObjectNode counts = root.putObject("todoCounts");
        view.counts().forEach((state, n) -> counts.put(state.name(), n));
        ArrayNode todos = root.putArray("todos");
        for (Todo todo : view.todos().values()) {
            todos.addObject().put("id", todo.id()).put("state", view.state(todo.id()).name())
                    .put("attempts", view.attempts(todo.id())).put("description", todo.description())
                    .put("summary", view.summary(todo.id()));
        }
        root.set("usage", EventText.JSON.valueToTree(view.usage()));
        root.put("cachedShare", MissionView.cachedShare(view.usage()));
        root.put("dollars", view.dollars());
        ArrayNode byRole = root.putArray("usageByRole");
        view.usageByRole().values().forEach(role -> byRole.add(EventText.JSON.valueToTree(role)));
        ArrayNode unpriced = root.putArray("unpricedModels");
        view.unpricedModels().forEach(unpriced::add);
        root.put("modelCalls", view.modelCalls());
        root.put("toolCalls", view.toolCalls());
        root.put("reviews", view.reviews().size());
        root.put("verifyRuns", view.verifies().size());
        ArrayNode events = root.putArray("lastEvents");
        last.forEach(r -> events.add(EventText.JSON.readTree(EventText.json(r.seq(), r.event()))));
        ObjectNode files = root.putObject("journal");
        files.setAll(EventText.JSON.<ObjectNode>valueToTree(journal.contents().facts()));
        files.put("lastSeq", journal.contents().lastSeq());
        files.put("snapshotSeq", journal.contents().snapshotSeq());
        files.put("tornTail", journal.contents().tornTail().orElse(null));
        return EventText.JSON.writeValueAsString(root);
    }
}
