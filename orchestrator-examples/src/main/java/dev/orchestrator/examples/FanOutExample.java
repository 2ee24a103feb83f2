package dev.orchestrator.examples;

import static dev.orchestrator.core.llm.ScriptedReplies.brief;
import static dev.orchestrator.core.llm.ScriptedReplies.issues;
import static dev.orchestrator.core.llm.ScriptedReplies.plan;
import static dev.orchestrator.core.llm.ScriptedReplies.text;
import static dev.orchestrator.core.llm.ScriptedReplies.todo;

import dev.orchestrator.api.Agent;
import dev.orchestrator.api.Mission;
import dev.orchestrator.api.MissionEvent;
import dev.orchestrator.api.MissionResult;
import dev.orchestrator.core.llm.ScriptedProvider;
import dev.orchestrator.core.llm.ScriptedReplies.PlannedTodo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;

/**
 * A thousand Workers at once: the Planner plans 1,000 independent todos, every Worker makes one model call that takes
 * a second (the scripted provider's latency), and the example prints how long the Workers' window took against the
 * ideal of one call's latency. Offline.
 *
 * <pre>
 * mvn -q -B install -DskipTests &amp;&amp; mvn -q -pl orchestrator-examples exec:java \
 *     -Dexec.mainClass=dev.orchestrator.examples.FanOutExample [-Dexec.args="1000 1000"]
 * </pre>
 *
 * The arguments are the number of Workers and each call's latency in milliseconds.
 */
public final class FanOutExample {

    private FanOutExample() {
    }

    /** How the fan-out went: the Workers' window (first dispatch to last finish) and the whole mission. */
    record Report(MissionResult result, int workers, Duration latency, Duration window) {

        String describe() {
            return "%,d Workers, one model call of %,d ms each: the Workers' window took %,d ms (ideal %,d ms, %.3fx); "
                    .formatted(workers, latency.toMillis(), window.toMillis(), latency.toMillis(),
                            (double) window.toNanos() / latency.toNanos())
                    + "the whole mission (brief, plan, Workers, review) %,d ms, outcome %s"
                            .formatted(result.duration().toMillis(), result.outcome());
        }
    }

    /** Runs the example; exits with 2 after one line for a bad argument, 1 if the mission did not complete. */
    public static void main(String[] args) {
        String program = "fan-out example";
        int workers = Exits.configured(program, () -> args.length > 0 ? Integer.parseInt(args[0]) : 1000);
        Duration latency = Exits.configured(program,
                () -> Duration.ofMillis(args.length > 1 ? Long.parseLong(args[1]) : 1000));
        Path workspace = Exits.configured(program, () -> Files.createTempDirectory("orchestrator-fan-out-"));
        Report report = Exits.configured(program, () -> run(workspace, workers, latency));
        System.out.println(report.describe());
        System.out.println("This ran on the scripted provider; the engine, its virtual threads and the journal are "
                + "real.");
        Exits.exitUnlessCompleted(report.result());
    }

    static Report run(Path workspace, int workers, Duration latency) {
        PlannedTodo[] todos = IntStream.rangeClosed(1, workers).mapToObj(i -> todo("t" + i, "Thing " + i))
                .toArray(PlannedTodo[]::new);
        ScriptedProvider provider = ScriptedProvider.builder().latency(latency)
                .onTask(Agent.COMMANDER, "triage", brief("Independent things, all at once."))
                .onTask(Agent.PLANNER, "plan", plan(todos))
                .onRole(Agent.WORKER, text("done"))
                .onRole(Agent.REVIEWER, issues())
                .build();
        AtomicReference<Instant> firstDispatch = new AtomicReference<>();
        AtomicReference<Instant> lastFinish = new AtomicReference<>();
        MissionResult result = Mission.builder()
                .goal("Do " + workers + " independent things")
                .workspace(workspace)
                .provider(provider)
                .verifyWith("true")
                .maxParallelWorkers(workers)
                .listener((event, progress) -> {
                    // events come in journal order, on one thread: the first dispatch and the last finish
                    if (event instanceof MissionEvent.TaskDispatched dispatched) {
                        firstDispatch.compareAndSet(null, dispatched.at());
                    } else if (event instanceof MissionEvent.TaskFinished finished) {
                        lastFinish.set(finished.at());
                    }
                })
                .build()
                .run();
        Duration window = firstDispatch.get() == null || lastFinish.get() == null ? Duration.ZERO
                : Duration.between(firstDispatch.get(), lastFinish.get());
        return new Report(result, workers, latency, window);
    }
}
