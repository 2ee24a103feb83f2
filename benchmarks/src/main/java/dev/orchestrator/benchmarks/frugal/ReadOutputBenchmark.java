package dev.orchestrator.benchmarks.frugal;

import dev.orchestrator.core.internal.tools.OutputRing;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * read_output's ring buffer: a read when new output is already there, and the long-poll wake-up, from a write to
 * the waiting reader's return (a writer thread writes only once the reader is parked on the buffer's condition).
 *
 * <pre>{@code java -cp "$CP" org.openjdk.jmh.Main ReadOutputBenchmark}</pre>
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ReadOutputBenchmark {

    private static final byte[] LINE = "[INFO] Compiling 42 source files\n".getBytes(StandardCharsets.UTF_8);

    /** A buffer with output already written. */
    @State(Scope.Thread)
    public static class Filled {
        final OutputRing ring = new OutputRing(1024 * 1024);
        long since;

        /** Writes a line the next read will find. */
        @Setup(Level.Invocation)
        public void write() {
            ring.write(LINE, 0, LINE.length);
        }
    }

    /** A buffer and a writer that writes once the reader waits. */
    @State(Scope.Thread)
    public static class Waiting {
        final OutputRing ring = new OutputRing(1024 * 1024);
        volatile Thread reader;
        volatile boolean running = true;
        long since;
        private Thread writer;

        /** Starts the writer: it writes a line each time it sees the reader parked. */
        @Setup(Level.Trial)
        public void start() {
            writer = Thread.ofPlatform().daemon().start(() -> {
                while (running) {
                    Thread waiting = reader;
                    if (waiting != null && waiting.getState() == Thread.State.TIMED_WAITING) {
                        reader = null;
                        ring.write(LINE, 0, LINE.length);
                    } else {
                        Thread.onSpinWait();
                    }
                }
            });
        }

        /** Stops the writer. */
        @TearDown(Level.Trial)
        public void stop() throws InterruptedException {
            running = false;
            writer.join();
        }
    }

    /** A read with new output there: no wait. */
    @Benchmark
    public OutputRing.Chunk readNewOutput(Filled state) throws InterruptedException {
        OutputRing.Chunk chunk = state.ring.read(state.since, 0, 32 * 1024);
        state.since = chunk.next();
        return chunk;
    }

    /** A read that waits: from the writer's write to the reader's return (plus the writer's noticing it). */
    @Benchmark
    public OutputRing.Chunk wakeUpOnWrite(Waiting state) throws InterruptedException {
        state.reader = Thread.currentThread();
        OutputRing.Chunk chunk = state.ring.read(state.since, TimeUnit.SECONDS.toNanos(10), 32 * 1024);
        state.since = chunk.next();
        return chunk;
    }
}
