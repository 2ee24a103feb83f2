package dev.orchestrator.core.internal.journal;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Decodes replayed records on a few threads of its own while the thread that feeds it hands the results on in record
 * order. Decoding the JSON is most of what a replay costs, and records decode independently of each other; the
 * calling thread meanwhile reads the next records and runs the sink, so reading, decoding and folding overlap.
 *
 * <p>Records go to the threads in batches, so that handing one over costs little beside decoding it, and at most a
 * few batches per thread are decoded ahead of the sink, so that memory stays bounded whatever the log's length. When
 * the sink needs a batch no thread has started, the calling thread decodes it itself: on a machine whose processors
 * are busy with other work, replay is then no slower than decoding on one thread. The owner closes it, which stops
 * its threads.
 *
 * @param <T> what a record decodes to
 */
public final class ParallelDecoder<T> implements AutoCloseable {

    static final int BATCH = 256;
    private static final int BATCHES_AHEAD_PER_THREAD = 4;

    /** Decodes one record; what it throws is rethrown to the feeding thread after the records before it. */
    @FunctionalInterface
    public interface Decoder<T> {
        T decode(long seq, ByteBuffer payload);
    }

    /** A decoded batch: {@code count} results, then, if decoding the next record failed, why. */
    private record Batch(Object[] results, int count, RuntimeException failure) {
    }

    /** A batch to decode, by whichever thread takes it first. */
    private final class Task implements Runnable {

        private final long[] seqs;
        private final ByteBuffer[] payloads;
        private final int count;
        private final AtomicBoolean taken = new AtomicBoolean();
        private final CompletableFuture<Batch> decoded = new CompletableFuture<>();

        Task(long[] seqs, ByteBuffer[] payloads, int count) {
            this.seqs = seqs;
            this.payloads = payloads;
            this.count = count;
        }

        @Override
        public void run() {
            if (taken.compareAndSet(false, true)) {
                try {
                    decoded.complete(decode(seqs, payloads, count));
                } catch (Throwable e) { // decode catches what a decoder throws, so this is an Error: pass it on
                    decoded.completeExceptionally(e);
                }
            }
        }

        /** The batch decoded, by this thread if no other took it yet. */
        Batch join() {
            run();
            try {
                return decoded.join();
            } catch (CompletionException e) {
                if (e.getCause() instanceof Error error) {
                    throw error;
                }
                throw e;
            }
        }
    }

    private final Decoder<? extends T> decoder;
    private final Consumer<? super T> sink;
    private final ExecutorService threads;
    private final List<Thread> made = new CopyOnWriteArrayList<>();
    private final int maxAhead;
    private final ArrayDeque<Task> ahead = new ArrayDeque<>();
    private long[] seqs = new long[BATCH];
    private ByteBuffer[] payloads = new ByteBuffer[BATCH];
    private int size;

    /** Decodes with {@code decoder} on {@code threads} threads made by {@code factory}; results go to {@code sink}. */
    public ParallelDecoder(int threads, ThreadFactory factory, Decoder<? extends T> decoder, Consumer<? super T> sink) {
        this.decoder = decoder;
        this.sink = sink;
        this.threads = Executors.newFixedThreadPool(threads, r -> {
            Thread t = factory.newThread(r);
            made.add(t);
            return t;
        });
        this.maxAhead = threads * BATCHES_AHEAD_PER_THREAD;
    }

    /**
     * Takes the next record; {@code payload} must stay as it is until {@link #finish()} returns. Results of earlier
     * records may reach the sink meanwhile, on this thread.
     */
    public void accept(long seq, ByteBuffer payload) {
        seqs[size] = seq;
        payloads[size++] = payload;
        if (size == BATCH) {
            submit();
        }
    }

    /**
     * Decodes what is left and hands every result on, in order. If a record failed to decode, the sink gets the
     * results before it, then this throws what decoding it threw.
     */
    public void finish() {
        if (size > 0) {
            submit();
        }
        while (!ahead.isEmpty()) {
            handOn();
        }
    }

    private void submit() {
        long[] batchSeqs = seqs;
        ByteBuffer[] batchPayloads = payloads;
        int count = size;
        seqs = new long[BATCH];
        payloads = new ByteBuffer[BATCH];
        size = 0;
        Task task = new Task(batchSeqs, batchPayloads, count);
        ahead.add(task);
        threads.execute(task);
        if (ahead.size() > maxAhead) {
            handOn();
        }
    }

    private Batch decode(long[] batchSeqs, ByteBuffer[] batchPayloads, int count) {
        Object[] results = new Object[count];
        for (int i = 0; i < count; i++) {
            try {
                results[i] = decoder.decode(batchSeqs[i], batchPayloads[i]);
            } catch (RuntimeException e) {
                return new Batch(results, i, e);
            }
        }
        return new Batch(results, count, null);
    }

    @SuppressWarnings("unchecked") // the results are what the decoder returned
    private void handOn() {
        Batch batch = ahead.poll().join();
        for (int i = 0; i < batch.count(); i++) {
            sink.accept((T) batch.results()[i]);
        }
        if (batch.failure() != null) {
            throw batch.failure();
        }
    }

    /** Drops what was not handed on yet and stops the threads, waiting for them to end. */
    @Override
    public void close() {
        for (Task task : ahead) {
            task.taken.set(true); // a thread that comes to it now skips it
        }
        ahead.clear();
        threads.shutdownNow();
        boolean interrupted = false;
        for (Thread t : made) { // the pool counts as terminated a moment before its last thread has ended
            while (true) {
                try {
                    t.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true; // finish closing: no thread of ours outlives its owner
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
