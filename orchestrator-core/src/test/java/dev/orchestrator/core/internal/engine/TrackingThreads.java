package dev.orchestrator.core.internal.engine;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;

/** Makes virtual threads and remembers them, so a test can check that none outlives its mission. */
public final class TrackingThreads implements ThreadFactory {

    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private final ThreadFactory virtual = Thread.ofVirtual().name("test-agent-", 0).factory();

    @Override
    public Thread newThread(Runnable task) {
        Thread thread = virtual.newThread(task);
        threads.add(thread);
        return thread;
    }

    /** How many threads it made. */
    public int count() {
        return threads.size();
    }

    /** Fails unless every thread it made has ended, waiting a little for each to get there. */
    public void assertAllEnded() throws InterruptedException {
        for (Thread thread : threads) {
            thread.join(Duration.ofSeconds(10));
            assertTrue(!thread.isAlive(), thread + " is still running");
        }
    }
}
