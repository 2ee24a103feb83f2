package dev.orchestrator.benchmarks.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Durable writes per second when 1, 2 and 4 threads write batches through one {@code O_DSYNC} descriptor at the same
 * time, each to its own range of a preallocated file: whether the disk completes overlapping durable writes faster
 * than one after the other. The journal's writer has one durable write in flight at a time (as has the raw ceiling
 * of {@link JournalAppendBenchmark}); this says what a writer with two or more in flight could gain.
 *
 * <pre>{@code
 * java -cp ... dev.orchestrator.benchmarks.journal.OverlappingWrites target/jb [seconds, 5] [batch bytes, 17920]
 *     [repetitions, 3]
 * }</pre>
 * The default batch is 64 records of 280 bytes, the journal's batch at 64 appenders.
 */
public final class OverlappingWrites {

    private static final long FILE_BYTES = 64 << 20;
    private static final int[] WRITERS = {1, 2, 4};

    private OverlappingWrites() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "target/journal-benchmark").toAbsolutePath();
        long seconds = args.length > 1 ? Long.parseLong(args[1]) : 5;
        int batchBytes = args.length > 2 ? Integer.parseInt(args[2]) : 17_920;
        int repetitions = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        Files.createDirectories(dir);
        Path file = dir.resolve("overlapping.bin");
        System.out.printf(Locale.ROOT, "%s, %d cpus, Java %s, %s (%s), batches of %,d bytes, %d s per case%n",
                System.getProperty("os.name"), Runtime.getRuntime().availableProcessors(), Runtime.version(), dir,
                Files.getFileStore(dir).type(), batchBytes, seconds);
        double[][] perSecond = new double[WRITERS.length][repetitions];
        try {
            preallocate(file);
            for (int rep = 0; rep < repetitions; rep++) {
                for (int w = 0; w < WRITERS.length; w++) {
                    perSecond[w][rep] = writesPerSecond(file, WRITERS[w], batchBytes, seconds);
                    System.out.printf(Locale.ROOT, "  repetition %d, %d writers: %,8.0f durable writes/s%n", rep + 1,
                            WRITERS[w], perSecond[w][rep]);
                }
            }
        } finally {
            Files.deleteIfExists(file);
        }
        System.out.printf(Locale.ROOT, "%nmedians of %d repetitions; ratio to one writer: the median of the ratios "
                + "within each repetition%n", repetitions);
        for (int w = 0; w < WRITERS.length; w++) {
            double[] ratios = new double[repetitions];
            for (int rep = 0; rep < repetitions; rep++) {
                ratios[rep] = perSecond[w][rep] / perSecond[0][rep];
            }
            System.out.printf(Locale.ROOT, "| %d writers | %,.0f durable writes/s | %.2fx |%n", WRITERS[w],
                    median(perSecond[w]), median(ratios));
        }
    }

    /** The writers share the file round and round, each write to the next free range, all through one descriptor. */
    private static double writesPerSecond(Path file, int writers, int batchBytes, long seconds)
            throws InterruptedException, IOException {
        try (FileChannel dsync = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.DSYNC)) {
            AtomicLong next = new AtomicLong();
            AtomicLong writes = new AtomicLong();
            long until = System.nanoTime() + seconds * 1_000_000_000L;
            List<Thread> threads = new ArrayList<>();
            List<IOException> failures = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                threads.add(Thread.ofPlatform().start(() -> {
                    ByteBuffer batch = ByteBuffer.allocateDirect(batchBytes);
                    try {
                        while (System.nanoTime() < until) {
                            long at = next.getAndAdd(batchBytes) % (FILE_BYTES - batchBytes);
                            batch.clear();
                            while (batch.hasRemaining()) {
                                at += dsync.write(batch, at);
                            }
                            writes.incrementAndGet();
                        }
                    } catch (IOException e) {
                        synchronized (failures) {
                            failures.add(e);
                        }
                    }
                }));
            }
            for (Thread t : threads) {
                t.join();
            }
            if (!failures.isEmpty()) {
                throw failures.getFirst();
            }
            return writes.get() / (double) seconds;
        }
    }

    /** Writes the whole file and forces it, size and all, so that no timed write allocates a block. */
    private static void preallocate(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer zeros = ByteBuffer.allocateDirect(1 << 20);
            for (long at = 0; at < FILE_BYTES; ) {
                at += channel.write(zeros.clear(), at);
            }
            channel.force(true);
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
