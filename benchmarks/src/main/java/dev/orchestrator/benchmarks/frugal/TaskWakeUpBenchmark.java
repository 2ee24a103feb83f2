package dev.orchestrator.benchmarks.frugal;

import dev.orchestrator.api.Agent;
import dev.orchestrator.api.AgentContext;
import dev.orchestrator.api.AgentResult;
import dev.orchestrator.api.Journal;
import dev.orchestrator.api.Mission;
import dev.orchestrator.api.MissionEvent;
import dev.orchestrator.api.MissionHandle;
import dev.orchestrator.api.MissionStoppedException;
import dev.orchestrator.api.Task;
import dev.orchestrator.api.Todo;
import dev.orchestrator.core.llm.ScriptedProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * The task-completion wake-up on the real engine: a mission runs {@code running} Workers at once, each blocked until
 * the benchmark lets one finish; the Commander's loop takes its result, records it and dispatches the next todo. JMH
 * times the whole round (the benchmark's release, the Worker waking, the Commander waking, the benchmark waking). The
 * wake-up itself, from the Worker's return to the Commander's loop recording its {@code TaskFinished} (timed in the
 * journal's append, on the Commander's thread), is printed as p50 / p99 of the measured iterations at the end.
 *
 * <pre>{@code java -cp "$CP" org.openjdk.jmh.Main TaskWakeUpBenchmark}</pre>
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 10, time = 100, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 30, time = 100, timeUnit = TimeUnit.MILLISECONDS)
@Fork(1)
@State(Scope.Benchmark)
public class TaskWakeUpBenchmark {

    /**
     * The most todos a plan may have: more than an iteration of 100 ms can finish, so {@link #running} Workers run
     * throughout. Each iteration runs a mission of its own.
     */
    private static final int TODOS = 10_000;

    /** Workers running at once. */
    @Param({"1", "50", "1000"})
    public int running;

    private final Semaphore finishOne = new Semaphore(0);
    private final Semaphore recorded = new Semaphore(0);
    private volatile long returnedAt;
    private final long[] wakeUps = new long[1 << 21];
    private volatile boolean measuring;
    private int samples;
    private int finished;
    private MissionHandle mission;
    private Path workspace;

    /** Starts a mission and waits until {@link #running} Workers are blocked; keeps measured wake-ups only. */
    @Setup(Level.Iteration)
    public void start(IterationParams params) throws IOException, InterruptedException {
        measuring = params.getType() == IterationType.MEASUREMENT;
        finished = 0;
        CountDownLatch allRunning = new CountDownLatch(running);
        List<Todo> plan = IntStream.range(0, TODOS)
                .mapToObj(i -> Todo.of("todo-" + i, "Finish when told.", List.of(), List.of())).toList();
        if (workspace == null) {
            workspace = Files.createTempDirectory("wake-up");
        }
        mission = Mission.builder().goal("Finish when told").workspace(workspace)
                .provider(ScriptedProvider.builder().build()).verifyWith("true").maxParallelWorkers(running)
                .journal(new TimingJournal())
                .agent(new Fixed(Agent.COMMANDER, task -> new AgentResult.Brief("Finish when told.")))
                .agent(new Fixed(Agent.PLANNER, task -> new AgentResult.Plan(plan)))
                .agent(new Fixed(Agent.WORKER, task -> {
                    allRunning.countDown();
                    try {
                        finishOne.acquire();
                    } catch (InterruptedException e) {
                        throw new MissionStoppedException("the benchmark ended");
                    }
                    returnedAt = System.nanoTime();
                    return new AgentResult.Done("finished");
                }))
                .build().start();
        while (!allRunning.await(100, TimeUnit.MILLISECONDS)) {
            if (mission.isDone()) {
                throw new IllegalStateException("the mission ended: " + mission.await().reason());
            }
        }
    }

    /** Lets one Worker finish and waits until the Commander has recorded it. */
    @Benchmark
    public void finishOneTask() throws InterruptedException {
        if (++finished > TODOS - running) {
            throw new IllegalStateException("the plan ran out of todos: shorten the iterations");
        }
        finishOne.release();
        recorded.acquire();
    }

    /** Ends the iteration's mission. */
    @TearDown(Level.Iteration)
    public void stop() throws InterruptedException {
        mission.cancel();
        mission.await();
    }

    /** Prints the wake-ups and removes the (empty) workspace. */
    @TearDown(Level.Trial)
    public void print() throws IOException {
        Files.delete(workspace);
        long[] sorted = Arrays.copyOf(wakeUps, Math.min(samples, wakeUps.length));
        Arrays.sort(sorted);
        System.out.printf("%nwake-up from a Worker's return to the Commander recording it, %d running: p50 %.1f µs, "
                + "p99 %.1f µs (%d samples)%n", running, sorted[sorted.length / 2] / 1000.0,
                sorted[(int) (sorted.length * 0.99)] / 1000.0, sorted.length);
    }

    /** An agent that answers every task with {@code answer}. */
    private record Fixed(String role, Function<Task, AgentResult> answer) implements Agent {
        @Override
        public AgentResult act(Task task, AgentContext context) {
            return answer.apply(task);
        }
    }

    /** An in-memory journal that times each {@code TaskFinished} as the Commander records it. */
    private final class TimingJournal implements Journal {
        private long sequence;

        @Override
        public synchronized CompletableFuture<Long> append(MissionEvent event) {
            if (event instanceof MissionEvent.TaskFinished && !(mission != null && mission.isDone())) {
                long wakeUp = System.nanoTime() - returnedAt;
                if (measuring && samples < wakeUps.length) {
                    wakeUps[samples++] = wakeUp;
                }
                recorded.release();
            }
            return CompletableFuture.completedFuture(++sequence);
        }

        @Override
        public void replay(Consumer<? super MissionEvent> sink) {
        }

        @Override
        public void close() {
        }
    }
}
