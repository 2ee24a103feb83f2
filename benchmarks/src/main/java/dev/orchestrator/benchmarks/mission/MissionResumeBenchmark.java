package dev.orchestrator.benchmarks.mission;

import dev.orchestrator.api.ChatResponse;
import dev.orchestrator.api.Mission;
import dev.orchestrator.api.MissionEvent;
import dev.orchestrator.api.MissionResult;
import dev.orchestrator.api.MissionResult.Outcome;
import dev.orchestrator.api.Todo;
import dev.orchestrator.api.ToolCall;
import dev.orchestrator.api.ToolResult;
import dev.orchestrator.api.Usage;
import dev.orchestrator.api.VerifyResult;
import dev.orchestrator.benchmarks.ProcessCpu;
import dev.orchestrator.core.journal.FileJournal;
import dev.orchestrator.core.journal.SyncPolicy;
import dev.orchestrator.core.llm.ScriptedProvider;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The time a long mission takes to resume in a fresh JVM, with and without the engine's snapshots: {@code
 * Mission.run()} on the file journal of a finished mission of N events (mostly model and tool calls of 1,000-event
 * todos), which opens the journal, rebuilds the state and returns the result. "full replay" is a journal the events
 * were written to directly; "snapshot" is the same events resumed once by the engine, which took a snapshot at once
 * (the journal's tail was longer than the snapshot interval) and let the old segments go. Each run is a child JVM;
 * the figure excludes the JVM's own start. Not run by CI.
 *
 * <pre>
 * java -cp "$CP" dev.orchestrator.benchmarks.mission.MissionResumeBenchmark target/mrb 5 100000 1000000
 * </pre>
 *
 * <p>{@code --write <journal> <events>} leaves one snapshotted journal (and a {@code workspace} beside it) for
 * {@code --child <journal> <workspace>} to time by hand, for instance in a JVM with an AOT cache.
 */
public final class MissionResumeBenchmark {

    private static final String GOAL = "a long mission";
    private static final int EVENTS_PER_TODO = 1_000;
    /** Todos dispatched together: the default {@code maxParallelWorkers}. */
    private static final int WAVE = 50;

    private MissionResumeBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 3 && args[0].equals("--child")) {
            boolean parts = Boolean.getBoolean("bench.parts");
            Instant main = Instant.now();
            // CPU as well as wall time: on a machine shared with other work the wall time says more about the others
            long cpuBefore = parts ? ProcessCpu.nanos() : 0;
            // the main thread's CPU: on a machine shared with other work, the figure that moves least with the load
            long mainBefore = parts ? ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() : 0;
            long start = System.nanoTime();
            MissionResult result = resume(Path.of(args[1]), Path.of(args[2]));
            long nanos = System.nanoTime() - start;
            if (parts) {
                // the JVM's start is known to the clock tick (10 ms) only
                long boot = ProcessHandle.current().info().startInstant()
                        .map(at -> Duration.between(at, main).toMillis()).orElse(-1L);
                System.err.println("JVM start to main " + boot + " ms; open " + (opened - start) / 1_000_000
                        + " ms, run " + (System.nanoTime() - opened) / 1_000_000 + " ms, CPU "
                        + (ProcessCpu.nanos() - cpuBefore) / 1_000_000 + " ms, main thread CPU "
                        + (ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - mainBefore) / 1_000_000
                        + " ms, classes loaded "
                        + ManagementFactory.getClassLoadingMXBean().getTotalLoadedClassCount());
            }
            if (result.outcome() != Outcome.COMPLETED) {
                throw new IllegalStateException("the resumed mission " + result.outcome() + ": " + result.reason());
            }
            System.out.println(nanos);
            return;
        }
        if (args.length == 3 && args[0].equals("--write")) {
            // a journal with a snapshot to time by hand, for instance with a JDK 25 AOT cache
            Path journal = Path.of(args[1]);
            write(journal, Integer.parseInt(args[2]), Outcome.FAILED);
            resume(journal, Files.createDirectories(journal.resolveSibling("workspace")));
            return;
        }
        Path root = Path.of(args.length > 0 ? args[0] : "target/mission-resume").toAbsolutePath();
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        List<Integer> sizes = args.length > 2 ? Stream.of(args).skip(2).map(Integer::parseInt).toList()
                : List.of(100_000, 1_000_000);
        Files.createDirectories(root);
        System.out.printf(Locale.ROOT, "| events | journal, full replay | resume, full replay | journal, snapshot | "
                + "resume, snapshot |%n|---:|---:|---:|---:|---:|%n");
        for (int events : sizes) {
            Path dir = Files.createTempDirectory(root, "resume-");
            try {
                Path workspace = Files.createDirectories(dir.resolve("workspace"));
                Path full = dir.resolve("full");
                Path snapshot = dir.resolve("snapshot");
                write(full, events, Outcome.COMPLETED);
                write(snapshot, events, Outcome.FAILED);
                // the engine resumes the failed mission, snapshots at its first event and completes it
                MissionResult completed = resume(snapshot, workspace);
                if (completed.outcome() != Outcome.COMPLETED) {
                    throw new IllegalStateException("the mission did not complete: " + completed.reason());
                }
                List<Long> fullNanos = new ArrayList<>();
                List<Long> snapshotNanos = new ArrayList<>();
                for (int run = 0; run < runs; run++) {
                    fullNanos.add(child(full, workspace));
                    snapshotNanos.add(child(snapshot, workspace));
                }
                System.out.printf(Locale.ROOT, "| %,d | %,d MB | %,d ms | %,d kB | %,d ms |%n", events,
                        size(full) >> 20, median(fullNanos) / 1_000_000, size(snapshot) >> 10,
                        median(snapshotNanos) / 1_000_000);
            } finally {
                delete(dir);
            }
        }
        System.out.println("medians of " + runs + " fresh JVMs each");
    }

    /** Runs the mission of the journal in {@code journal} on a model that is never called. */
    private static long opened;

    private static MissionResult resume(Path journal, Path workspace) {
        try (FileJournal file = FileJournal.open(journal)) {
            opened = System.nanoTime();
            return Mission.builder().goal(GOAL).workspace(workspace).provider(ScriptedProvider.builder().build())
                    .verifyWith("true").journal(file).build().run();
        }
    }

    /**
     * Writes a mission of about {@code events} events that ended with {@code outcome}: every todo done and a review
     * that found nothing, so resuming a failed one completes it without a model call.
     */
    private static void write(Path dir, int events, Outcome outcome) {
        Instant at = Instant.parse("2026-11-30T12:00:00Z");
        int todos = Math.max(1, events / EVENTS_PER_TODO);
        try (FileJournal journal = FileJournal.builder(dir).syncPolicy(SyncPolicy.none()).open()) {
            journal.append(new MissionEvent.MissionStarted("m-bench", GOAL, dir.toString(), "true", "", at));
            journal.append(new MissionEvent.BriefWritten("a brief", at));
            List<Todo> planned = new ArrayList<>();
            for (int t = 0; t < todos; t++) {
                planned.add(new Todo("t" + t, "todo number " + t, List.of("src/File" + t + ".java"), List.of(),
                        "worker"));
            }
            journal.append(new MissionEvent.TodosPlanned(0, planned, List.of(), at));
            Usage usage = new Usage(1_200, 80, 1_000, 0);
            for (int t = 0; t < todos; t++) {
                String task = "t" + t + "#1";
                if (t % WAVE == 0) {
                    // as the engine journals a dispatch: one event for the wave
                    List<MissionEvent.TasksDispatched.Dispatch> wave = new ArrayList<>();
                    for (int w = t; w < Math.min(todos, t + WAVE); w++) {
                        wave.add(new MissionEvent.TasksDispatched.Dispatch("t" + w, 1, "worker"));
                    }
                    journal.append(new MissionEvent.TasksDispatched(wave, at));
                }
                for (int turn = 0; turn < (EVENTS_PER_TODO - 2) / 3; turn++) {
                    String callId = "m-bench/" + task + "/" + turn;
                    ToolCall call = new ToolCall("c" + turn, "read_file", "{\"path\":\"src/File" + t + ".java\"}");
                    journal.append(new MissionEvent.LlmCallCompleted(callId, task, "worker",
                            ChatResponse.ofToolCalls(List.of(call), usage, "gpt-4o-mini"), at));
                    journal.append(new MissionEvent.ToolCallStarted(callId + "/0", task, "read_file",
                            call.arguments(), at));
                    journal.append(new MissionEvent.ToolCallCompleted(callId + "/0", task, "read_file",
                            new ToolResult("class File" + t + " {}", false), at));
                }
                journal.append(new MissionEvent.TaskFinished("t" + t, 1, true, "done t" + t, at));
            }
            journal.append(new MissionEvent.VerifyCompleted(1, new VerifyResult("true", 0, "", false), at));
            journal.append(new MissionEvent.ReviewCompleted(1, List.of(), at));
            journal.append(new MissionEvent.MissionFinished(outcome, "written by the benchmark", at)).join();
        }
    }

    private static long child(Path journal, Path workspace) throws IOException, InterruptedException {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dbench.parts=" + Boolean.getBoolean("bench.parts"), "-cp",
                System.getProperty("java.class.path"), MissionResumeBenchmark.class.getName(), "--child",
                journal.toString(), workspace.toString());
        Process p = new ProcessBuilder(command).redirectError(Boolean.getBoolean("bench.parts")
                ? ProcessBuilder.Redirect.INHERIT : ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("the child JVM failed: " + out);
        }
        return Long.parseLong(out);
    }

    private static long median(List<Long> values) {
        return values.stream().sorted().toList().get(values.size() / 2);
    }

    private static long size(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.mapToLong(f -> f.toFile().length()).sum();
        }
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
