package dev.orchestrator.benchmarks.limit;

import com.netflix.concurrency.limits.Limiter;
import com.netflix.concurrency.limits.limit.AIMDLimit;
import com.netflix.concurrency.limits.limiter.SimpleLimiter;
import dev.orchestrator.api.RateLimits;
import dev.orchestrator.core.internal.limit.AimdLimiter;
import dev.orchestrator.core.internal.limit.LimiterKey;
import dev.orchestrator.core.internal.limit.LimiterRegistry;
import dev.orchestrator.core.internal.limit.LimiterSettings;
import dev.orchestrator.core.internal.limit.Permit;
import dev.orchestrator.core.internal.limit.Priority;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the concurrency limiter costs one call: acquire a permit, start the send, release it with a success; beside
 * Netflix concurrency-limits' {@code SimpleLimiter} with its {@code AIMDLimit} (acquire, then {@code onSuccess}), in
 * the same run. Uncontended (one thread: time per call) and with 64 threads on one limiter (calls per microsecond,
 * all threads together: with more threads than cores, a thread's own time per call mostly counts the time it was
 * not scheduled). Both limits are set far above 64, so no caller ever waits for a permit: this measures the
 * bookkeeping and the lock, not the queue.
 *
 * <pre>{@code java -cp ... org.openjdk.jmh.Main LimiterBenchmark}</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class LimiterBenchmark {

    private static final int LIMIT = 1_000;

    /** The two limiters, shared by every benchmark thread. */
    @State(Scope.Benchmark)
    public static class Limiters {
        private LimiterRegistry registry;
        private AimdLimiter ours;
        private SimpleLimiter<Void> netflix;

        /** Makes both with a limit no benchmark thread count reaches. */
        @Setup
        public void start() {
            registry = LimiterRegistry.create(LimiterSettings.builder().initialLimit(LIMIT).limitBounds(1, LIMIT)
                    .build());
            ours = registry.limiter(new LimiterKey("benchmark", "model", "key"));
            netflix = SimpleLimiter.newBuilder()
                    .limit(AIMDLimit.newBuilder().initialLimit(LIMIT).maxLimit(LIMIT).build()).build();
        }

        /** Stops our registry's timer thread. */
        @TearDown
        public void stop() {
            registry.close();
        }
    }

    @Benchmark
    @Threads(1)
    public Permit oursUncontended(Limiters limiters) {
        return oneCall(limiters.ours);
    }

    @Benchmark
    @Threads(64)
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public Permit ours64Threads(Limiters limiters) {
        return oneCall(limiters.ours);
    }

    @Benchmark
    @Threads(1)
    public Limiter.Listener netflixUncontended(Limiters limiters) {
        return oneCall(limiters.netflix);
    }

    @Benchmark
    @Threads(64)
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public Limiter.Listener netflix64Threads(Limiters limiters) {
        return oneCall(limiters.netflix);
    }

    private static Permit oneCall(AimdLimiter limiter) {
        Permit permit = limiter.acquire(Priority.WORKER).join();
        if (!permit.startSend()) {
            throw new IllegalStateException("no pause was announced, yet the send was refused");
        }
        permit.success(RateLimits.UNKNOWN);
        return permit;
    }

    private static Limiter.Listener oneCall(SimpleLimiter<Void> limiter) {
        Optional<Limiter.Listener> listener = limiter.acquire(null);
        Limiter.Listener granted = listener.orElseThrow(() -> new IllegalStateException("the limit was reached"));
        granted.onSuccess();
        return granted;
    }
}
