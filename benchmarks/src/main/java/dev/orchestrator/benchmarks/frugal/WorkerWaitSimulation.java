package dev.orchestrator.benchmarks.frugal;

import dev.orchestrator.api.Agent;
import dev.orchestrator.api.ChatRequest;
import dev.orchestrator.api.ChatResponse;
import dev.orchestrator.api.LlmProvider;
import dev.orchestrator.api.Message;
import dev.orchestrator.api.Mission;
import dev.orchestrator.api.MissionResult;
import dev.orchestrator.core.internal.llm.OpenAiWire;
import dev.orchestrator.core.llm.ScriptedProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One Worker's part of the frugality claim, measured on the real engine with a scripted model: it reads three
 * 3 KB files, starts a build that prints a line every 2 s for {@code seconds}, waits for it, then reads the files
 * again. Polling: a {@code read_output} turn per check, once a second (each waits up to 1 s, returning sooner when a
 * line arrives), and the files' text on every read (by lines). Ours: one {@code read_output} with
 * {@code until_exit}, and whole reads, the second answered "unchanged". Tokens are the OpenAI wire body's
 * characters / 4, over every call of the mission; cached tokens follow OpenAI's rule (the longest prefix shared with
 * an earlier request, from 1,024 tokens, in 128-token steps); prices are gpt-4o's list prices ($2.50 per million
 * input tokens, $1.25 cached, $10 output).
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
            Meter meter = new Meter(ScriptedProvider.builder()
                    .on(role(Agent.WORKER), worker(ours, seconds))
                    .on(role(Agent.COMMANDER), ScriptedProvider.toolCall("write_brief", "{\"brief\":\"Build.\"}"))
                    .on(role(Agent.PLANNER), ScriptedProvider.toolCall("submit_plan",
                            "{\"todos\":[{\"id\":\"todo-1\",\"description\":\"Build it and check the sources.\"}]}"))
                    .on(role(Agent.REVIEWER), ScriptedProvider.toolCall("report_issues", "{\"issues\":[]}"))
                    .build());
            long start = System.nanoTime();
            MissionResult result = Mission.builder().goal("Build it").workspace(workspace).provider(meter)
                    .verifyWith("test -e out.txt").maxWorkerTurns(200).build().run();
            long millis = (System.nanoTime() - start) / 1_000_000;
            if (result.outcome() != MissionResult.Outcome.COMPLETED) {
                throw new IllegalStateException(result.reason());
            }
            double dollars = (meter.sent - meter.cached) * 2.5e-6 + meter.cached * 1.25e-6 + meter.output * 10e-6;
            System.out.printf("| %s | %d | %,d | %,.0f | %,d | $%.4f | %.1f s |%n", ours ? "ours" : "polling",
                    meter.workerCalls, meter.sent, meter.sent - meter.cached * 0.5, meter.output, dollars,
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

    private static Predicate<ChatRequest> role(String role) {
        return request -> request.metadata(ChatRequest.ROLE).filter(role::equals).isPresent();
    }

    /** Counts the Worker's calls and every call's tokens as the OpenAI wire would carry them. */
    private static final class Meter implements LlmProvider {
        private final LlmProvider model;
        private final List<String> earlier = new ArrayList<>();
        private int workerCalls;
        private long sent;
        private long cached;
        private long output;

        Meter(LlmProvider model) {
            this.model = model;
        }

        @Override
        public String name() {
            return "meter";
        }

        @Override
        public String defaultModel() {
            return model.defaultModel();
        }

        @Override
        public Optional<String> quotaId() {
            return Optional.empty();
        }

        @Override
        public synchronized ChatResponse chat(ChatRequest request) {
            String body = OpenAiWire.request(request, defaultModel(), OpenAiWire.Options.DEFAULT, false).toString();
            long tokens = body.length() / 4;
            long shared = 0;
            for (String before : earlier) {
                int i = 0;
                while (i < before.length() && i < body.length() && before.charAt(i) == body.charAt(i)) {
                    i++;
                }
                shared = Math.max(shared, i / 4);
            }
            earlier.add(body);
            sent += tokens;
            cached += shared >= 1024 ? shared / 128 * 128 : 0;
            workerCalls += request.metadata(ChatRequest.ROLE).filter(Agent.WORKER::equals).isPresent() ? 1 : 0;
            ChatResponse response = model.chat(request);
            output += (response.text().length() + response.toolCalls().stream()
                    .mapToLong(call -> call.arguments().length() + call.name().length()).sum()) / 4 + 1;
            return response;
        }
    }
}
