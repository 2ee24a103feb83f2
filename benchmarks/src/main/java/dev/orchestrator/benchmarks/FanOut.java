package dev.orchestrator.benchmarks;

import java.time.Duration;

/** A framework's way of running many independent single-call agents at once. */
interface FanOut {

    /** The framework's name, for the table. */
    String framework();

    /**
     * Builds everything a fan-out of {@code workers} agents needs, each making one call that waits in {@code call},
     * and returns it ready to run. Heap measured between this and {@link Run#run()} counts only the run.
     */
    Run prepare(int workers, SimulatedCall call) throws Exception;

    /** A prepared fan-out; run it once. */
    interface Run {
        /** Runs every agent to its end. */
        Timing run() throws Exception;
    }

    /**
     * When a fan-out's work began and ended, by {@link System#nanoTime()}, and how long the framework's whole call
     * took, set-up and wrap-up included.
     *
     * @param firstDispatch the first agent was dispatched
     * @param lastFinish the last agent finished
     * @param cpuAtLastFinish {@link ProcessCpu#liveThreadsNanos()} then
     */
    record Timing(long firstDispatch, long lastFinish, long cpuAtLastFinish, Duration whole) {

        /** From the first agent dispatched to the last finished. */
        Duration window() {
            return Duration.ofNanos(lastFinish - firstDispatch);
        }
    }
}
