package dev.orchestrator.benchmarks.frugal;

import dev.orchestrator.api.Agent;
import dev.orchestrator.api.ChatRequest;
import dev.orchestrator.api.ChatResponse;
import dev.orchestrator.api.Message;
import dev.orchestrator.api.Mission;
import dev.orchestrator.api.MissionResult;
import dev.orchestrator.api.Usage;
import dev.orchestrator.benchmarks.frugal.PromptCacheMeter.Tally;
import dev.orchestrator.core.llm.ScriptedProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One Worker's part of the frugality claim, measured on the real engine with a scripted model: it reads three
 * 3 KB files, starts a build that prints a line every 2 s for {@code seconds}, waits for it, then reads the files
 * again. Polling: a {@code read_output} turn per check, once a second (each waits up to 1 s, returning sooner when a
 * line arrives), and the files' text on every read (by lines). Ours: one {@code read_output} with
 * {@code until_exit}, and whole reads, the second answered "unchanged". Every call of the mission is billed as
 * OpenAI's gpt-4o by {@link PromptCacheMeter}.
 *
 * <pre>{@code java -cp "$CP" dev.orchestrator.benchmarks.frugal.WorkerWaitSimulation 30}</pre>
 */
public final class WorkerWaitSimulation {

    private static final Pattern ID = Pattern.compile("started in the background as (\\S+):");
    private static final Pattern NEXT = Pattern.compile("next offset (\\d+)");
    private static final List<String> FILES = List.of("Parser.java", "Lexer.java", "Main.java");

    private WorkerWaitSimulation() {
    }

    /** Runs both ways and prints a row each. */
    public static void main(String[] args) throws IOException {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        System.out.println("| way | Worker calls | input tokens sent | billed input units | output tokens | "
                + "dollars | wall time |");
        System.out.println("|---|---|---|---|---|---|---|");
        for (boolean ours : new boolean[] {false, true}) {
            Path workspace = Files.createTempDirectory("frugal-wait");
            for (String file : FILES) {
                Files.writeString(workspace.resolve(file), ("    // " + file + ": a line of source code, about sixty "
                        + "characters\n").repeat(50));
            }
            PromptCacheMeter meter = new PromptCacheMeter(ScriptedProvider.builder()
                    .onRole(Agent.WORKER, worker(ours, seconds))
                    .onRole(Agent.COMMANDER, ScriptedProvider.toolCall("write_brief", "{\"brief\":\"Build.\"}"))
                    .onRole(Agent.PLANNER, ScriptedProvider.toolCall("submit_plan",
                            "{\"todos\":[{\"id\":\"todo-1\",\"description\":\"Build it and check the sources.\"}]}"))
                    .onRole(Agent.REVIEWER, ScriptedProvider.toolCall("report_issues", "{\"issues\":[]}"))
                    .build(), new PromptCaches(System::nanoTime), true);
            long start = System.nanoTime();
            MissionResult result = Mission.builder().goal("Build it").workspace(workspace).provider(meter)
                    .verifyWith("test -e out.txt").maxWorkerTurns(200).build().run();
            long millis = (System.nanoTime() - start) / 1_000_000;
            if (result.outcome() != MissionResult.Outcome.COMPLETED) {
                throw new IllegalStateException(result.reason());
            }
            Tally tally = meter.tally();
            Usage usage = tally.openAi();
            System.out.printf("| %s | %d | %,d | %,.0f | %,d | $%.4f | %.1f s |%n", ours ? "ours" : "polling",
                    tally.calls(Agent.WORKER), Tally.sent(usage), Tally.billedUnits(PromptCacheMeter.OPENAI_MODEL,
                            usage), usage.outputTokens(), Tally.dollars(PromptCacheMeter.OPENAI_MODEL, usage),
                    millis / 1000.0);
        }
    }

    /** The Worker's script: reads, the build, the wait, the reads again, done. */
    private static Function<ChatRequest, ChatResponse> worker(boolean ours, int seconds) {
        String read = ours ? "{\"path\":\"%s\"}" : "{\"path\":\"%s\",\"start_line\":1}";
        return request -> {
            List<Message> messages = request.messages();
            long reads = messages.stream().filter(m -> m instanceof Message.ToolResult r
                    && r.toolName().equals("read_file")).count();
            Optional<Message.ToolResult> last = messages.getLast() instanceof Message.ToolResult r
                    ? Optional.of(r) : Optional.empty();
            boolean started = messages.stream().anyMatch(m -> m instanceof Message.ToolResult r
                    && r.toolName().equals("run_command"));
            boolean built = messages.stream().anyMatch(m -> m instanceof Message.ToolResult r
                    && r.toolName().equals("read_output") && r.content().startsWith("exited"));
            if (reads < FILES.size()) {
                return ScriptedProvider.toolCall("read_file", read.formatted(FILES.get((int) reads))).apply(request);
            }
            if (!started) {
                return ScriptedProvider.toolCall("run_command", "{\"command\":\"for i in $(seq 1 " + seconds / 2
                        + "); do echo [INFO] building step $i; sleep 2; done; echo done > out.txt; "
                        + "echo BUILD SUCCESS\",\"background\":true}").apply(request);
            }
            if (!built) {
                String id = messages.stream().flatMap(m -> m instanceof Message.ToolResult r
                        ? ID.matcher(r.content()).results().map(match -> match.group(1)) : Stream.empty())
                        .findFirst().orElseThrow();
                long since = last.map(r -> NEXT.matcher(r.content())).filter(Matcher::find)
                        .map(m -> Long.parseLong(m.group(1))).orElse(0L);
                return ScriptedProvider.toolCall("read_output", ours
                        ? "{\"id\":\"" + id + "\",\"wait_ms\":300000,\"until_exit\":true}"
                        : "{\"id\":\"" + id + "\",\"since\":" + since + ",\"wait_ms\":1000}").apply(request);
            }
            if (reads < 2L * FILES.size()) {
                return ScriptedProvider.toolCall("read_file", read.formatted(FILES.get((int) reads - FILES.size())))
                        .apply(request);
            }
            return ScriptedProvider.text("Built; the sources are as they were.").apply(request);
        };
    }

}
