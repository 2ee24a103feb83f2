package dev.orchestrator.core.internal.engine;

import dev.orchestrator.api.MissionEvent;
import dev.orchestrator.benchmarks.RecordedMission;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The engine's fold per event: {@link Checkpoint#apply} (the mission state and what a resume needs besides), as the
 * recorder runs it on every event and a resume on every replayed one, over the events of a real mission of
 * {@value #TODOS} todos (dispatches, calls, finishes and the mission's own events). In the engine's package, as
 * the fold is not public API.
 *
 * <pre>{@code java -cp ... org.openjdk.jmh.Main FoldBenchmark}</pre>
 *
 * <p>On a machine busy with other work, JMH's wall time says more about the load than the fold; {@link #main} times
 * the same fold by the thread's own CPU time instead:
 *
 * <pre>{@code java -cp ... dev.orchestrator.core.internal.engine.FoldBenchmark}</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class FoldBenchmark {

    private static final int TODOS = 1_000;
    /** The events of a {@value #TODOS}-todo mission: 3 per todo and a few of the mission's own. */
    private static final int EVENTS = 3 * TODOS + 9;

    private List<MissionEvent> events;

    /** Records the mission whose events the benchmark folds. */
    @Setup
    public void record() {
        events = RecordedMission.events(TODOS);
        if (events.size() != EVENTS) {
            throw new IllegalStateException("the mission recorded " + events.size() + " events, the benchmark divides "
                    + "by " + EVENTS + ": change EVENTS");
        }
    }

    /** Prints the CPU per event of the fold: 15 rounds of 300 folds after 3,000 to warm up, min, median and max. */
    public static void main(String[] args) {
        FoldBenchmark benchmark = new FoldBenchmark();
        benchmark.record();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long folded = 0;
        for (int i = 0; i < 3_000; i++) {
            folded += benchmark.foldPerEvent().events();
        }
        List<Double> perEvent = new ArrayList<>();
        for (int round = 0; round < 15; round++) {
            long start = threads.getCurrentThreadCpuTime();
            for (int i = 0; i < 300; i++) {
                folded += benchmark.foldPerEvent().events();
            }
            perEvent.add((threads.getCurrentThreadCpuTime() - start) / 300.0 / EVENTS);
        }
        Collections.sort(perEvent);
        System.out.printf("fold of %,d events, CPU ns per event: min %.1f, median %.1f, max %.1f (%,d folded)%n", EVENTS,
                perEvent.getFirst(), perEvent.get(perEvent.size() / 2), perEvent.getLast(), folded);
    }

    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public Checkpoint foldPerEvent() {
        return Checkpoint.EMPTY.applyAll(events);
    }
}
