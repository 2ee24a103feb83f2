package dev.orchestrator.examples;

import static dev.orchestrator.core.llm.ScriptedReplies.brief;
import static dev.orchestrator.core.llm.ScriptedReplies.issues;
import static dev.orchestrator.core.llm.ScriptedReplies.plan;
import static dev.orchestrator.core.llm.ScriptedReplies.text;
import static dev.orchestrator.core.llm.ScriptedReplies.todo;
import static dev.orchestrator.core.llm.ScriptedReplies.writeFile;

import dev.orchestrator.api.Agent;
import dev.orchestrator.api.Mission;
import dev.orchestrator.api.MissionEvent;
import dev.orchestrator.api.MissionListener;
import dev.orchestrator.api.MissionResult;
import dev.orchestrator.api.TodoStatus;
import dev.orchestrator.core.journal.FileJournal;
import dev.orchestrator.core.llm.ScriptedProvider;
import dev.orchestrator.core.llm.ScriptedReplies.PlannedTodo;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Durability as a user sees it: a child JVM runs a mission of {@value #TODOS} todos with a journal, and is killed
 * ({@code SIGKILL}, as {@code kill -9}) once {@code killAfter} todos are done; the same mission is then run again on
 * the same journal, resumes, and completes. It prints how many model calls the journal answered (the calls the
 * killed run had completed, which the resumed one did not pay for again) and how many the resumed run made. Offline.
 *
 * <pre>
 * mvn -q -B install -DskipTests &amp;&amp; mvn -q -pl orchestrator-examples exec:java \
 *     -Dexec.mainClass=dev.orchestrator.examples.CrashRecoveryExample [-Dexec.args=/tmp/crash]
 * </pre>
 */
public final class CrashRecoveryExample {

    static final int TODOS = 12;
    /** A brief, a plan, two calls per todo (write its file, then say so) and one review. */
    static final int CRASH_FREE_CALLS = 3 + 2 * TODOS;
    private static final String CHILD = "--child";
    private static final String DONE = "todo done: ";

    private CrashRecoveryExample() {
    }

    /**
     * What happened.
     *
     * @param killedAfter the todos done when the child was killed
     * @param answeredByJournal the model calls the killed run had completed, in its journal
     * @param resumedCalls the model calls the resumed run made
     * @param result how the resumed mission ended
     */
    record Report(int killedAfter, long answeredByJournal, long resumedCalls, MissionResult result) {

        String describe() {
            return """
                    killed the child JVM with SIGKILL after %d of %d todos were done
                    resumed from the journal: %s, %d of %d todos done
                    the journal answered %d model calls; the resumed run made %d (a run without a crash makes %d)"""
                    .formatted(killedAfter, TODOS, result.outcome(), result.todos().stream()
                            .filter(t -> t.state() == TodoStatus.State.DONE).count(), TODOS,
                            answeredByJournal, resumedCalls, CRASH_FREE_CALLS);
        }
    }

    /** Runs the example (or, with {@code --child}, the mission that gets killed). */
    public static void main(String[] args) throws IOException, InterruptedException {
        if (args.length == 2 && args[0].equals(CHILD)) {
            Path directory = Path.of(args[1]);
            mission(directory, provider(Duration.ofMillis(200)), (event, progress) -> {
                if (event instanceof MissionEvent.TaskFinished finished && finished.succeeded()) {
                    System.out.println(DONE + finished.todoId());
                    System.out.flush();
                }
            }).run();
            return;
        }
        String program = "crash recovery example";
        Path directory = Exits.configured(program, () -> {
            Path chosen = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("orchestrator-crash-");
            if (Files.exists(chosen.resolve("journal"))) {
                throw new IllegalArgumentException(chosen + " already holds a journal: give a new directory");
            }
            return Files.createDirectories(chosen);
        });
        Report report = crashAndResume(directory, TODOS / 3);
        System.out.println(report.describe());
        Exits.exitUnlessCompleted(report.result());
    }

    /** Starts the child, kills it once {@code killAfter} todos are done, counts its journal's calls, resumes. */
    static Report crashAndResume(Path directory, int killAfter) throws IOException, InterruptedException {
        Files.createDirectories(directory.resolve("workspace"));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                CrashRecoveryExample.class.getName(), CHILD, directory.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        int done = 0;
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null && done < killAfter; line = lines.readLine()) {
                done += line.startsWith(DONE) ? 1 : 0;
            }
        } finally {
            child.destroyForcibly(); // SIGKILL: no shutdown hook, no flush, no close
            child.waitFor();
        }
        if (done < killAfter) {
            throw new IllegalStateException("the child mission ended after " + done + " todos, before the kill");
        }
        long recorded = completedCalls(directory.resolve("journal"));
        ScriptedProvider provider = provider(Duration.ZERO);
        MissionResult result = mission(directory, provider, (event, progress) -> { }).run();
        return new Report(done, recorded, provider.callCount(), result);
    }

    /** The model calls a journal holds as completed. */
    private static long completedCalls(Path journal) {
        AtomicLong calls = new AtomicLong();
        try (FileJournal recorded = FileJournal.open(journal)) {
            recorded.replay(event -> calls.addAndGet(event instanceof MissionEvent.LlmCallCompleted ? 1 : 0));
        }
        return calls.get();
    }

    /** The same mission in both JVMs, on {@code directory}'s workspace and journal. */
    private static Mission mission(Path directory, ScriptedProvider provider, MissionListener listener) {
        return Mission.builder()
                .goal("Write t1.txt to t" + TODOS + ".txt")
                .workspace(directory.resolve("workspace"))
                .journal(directory.resolve("journal"))
                .provider(provider)
                .verifyWith("test $(ls t*.txt | wc -l) -eq " + TODOS)
                .maxParallelWorkers(3)
                .listener(listener)
                .build();
    }

    private static ScriptedProvider provider(Duration latency) {
        ScriptedProvider.Builder script = ScriptedProvider.builder().latency(latency)
                .onTask(Agent.COMMANDER, "triage", brief("Twelve independent files."));
        PlannedTodo[] todos = new PlannedTodo[TODOS];
        for (int i = 1; i <= TODOS; i++) {
            todos[i - 1] = todo("t" + i, "Write t" + i + ".txt").writes("t" + i + ".txt");
            script.onTask(Agent.WORKER, "t" + i + "#1", writeFile("t" + i + ".txt", "file " + i + "\n"),
                    text("wrote t" + i + ".txt"));
        }
        return script.onTask(Agent.PLANNER, "plan", plan(todos))
                .onRole(Agent.REVIEWER, issues())
                .build();
    }
}
