package dev.orchestrator.core.internal.retry;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * How a blocking caller waits for a future. The real one parks the thread; a test's virtual clock instead runs its
 * scheduled tasks until the future is done, so waiting takes no real time.
 */
public interface Blocker {

    /**
     * The future's value once it is done; its failure is thrown as it is when unchecked.
     *
     * @throws InterruptedException if the thread is interrupted while waiting
     */
    <T> T await(CompletableFuture<T> future) throws InterruptedException;

    /** Parks the calling thread until the future is done. */
    static Blocker system() {
        return SystemBlocker.INSTANCE;
    }

    /** The real-time blocker. */
    final class SystemBlocker implements Blocker {
        static final SystemBlocker INSTANCE = new SystemBlocker();

        private SystemBlocker() {
        }

        @Override
        public <T> T await(CompletableFuture<T> future) throws InterruptedException {
            try {
                return future.get();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException unchecked) {
                    throw unchecked;
                }
                if (e.getCause() instanceof Error error) {
                    throw error;
                }
                throw new IllegalStateException("a future failed with a checked exception", e.getCause());
            }
        }
    }
}
