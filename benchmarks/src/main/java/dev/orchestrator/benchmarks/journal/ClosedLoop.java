package dev.orchestrator.benchmarks.journal;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;

/**
 * Runs a durable operation in a closed loop on a number of threads, each starting its next operation as soon as the
 * last one returned, and measures throughput and latency after a warm-up. The journal and its SQLite baseline go
 * through the same loop, so that they are measured alike.
 */
final class ClosedLoop {

    /** One durable operation; it returns once it is durable. */
    @FunctionalInterface
    interface Operation {
        void run() throws Exception;
    }

    /** What a run measured. */
    record Result(double perSecond, long p50Nanos, long p99Nanos) {
    }

    private final Duration warmUp;
    private final Duration measure;

    ClosedLoop(Duration warmUp, Duration measure) {
        this.warmUp = warmUp;
        this.measure = measure;
    }

    /** Runs {@code operation} on {@code threads} threads made by {@code factory} until the measurement ends. */
    Result run(int threads, ThreadFactory factory, Operation operation) throws InterruptedException {
        long[][] latencies = new long[threads][];
        int[] counts = new int[threads];
        Throwable[] failure = new Throwable[1];
        CountDownLatch done = new CountDownLatch(threads);
        long measureFrom = System.nanoTime() + warmUp.toNanos();
        long measureTo = measureFrom + measure.toNanos();
        Thread[] started = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            int thread = t;
            started[t] = factory.newThread(() -> {
                long[] mine = new long[1 << 12];
                int n = 0;
                try {
                    for (long start = System.nanoTime(); start < measureTo; ) {
                        operation.run();
                        long end = System.nanoTime();
                        if (start >= measureFrom) {
                            if (n == mine.length) {
                                mine = Arrays.copyOf(mine, n * 2);
                            }
                            mine[n++] = end - start;
                        }
                        start = end;
                    }
                } catch (Throwable e) {
                    synchronized (failure) {
                        failure[0] = e;
                    }
                } finally {
                    latencies[thread] = mine;
                    counts[thread] = n;
                    done.countDown();
                }
            });
            started[t].start();
        }
        done.await();
        for (Thread t : started) {
            t.join();
        }
        if (failure[0] != null) {
            throw new IllegalStateException("an operation failed", failure[0]);
        }
        int total = Arrays.stream(counts).sum();
        if (total == 0) {
            throw new IllegalStateException("no operation both started and ended within the " + measure
                    + " measured (the disk stalled for longer): give the benchmark more seconds per case");
        }
        long[] all = new long[total];
        for (int t = 0, at = 0; t < threads; at += counts[t], t++) {
            System.arraycopy(latencies[t], 0, all, at, counts[t]);
        }
        Arrays.sort(all);
        return new Result(total / (measure.toNanos() / 1e9), all[total / 2], all[(int) (total * 0.99)]);
    }
}
