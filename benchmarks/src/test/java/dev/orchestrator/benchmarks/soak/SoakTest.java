package dev.orchestrator.benchmarks.soak;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The soak at CI size: a leak of threads or descriptors, or a clear upward trend of the retained heap, fails it.
 * The bounds are generous (the heap after a full GC wobbles by tens of kB) and nothing is timed.
 */
class SoakTest {

    /** Threads and descriptors the JVM may start on its own meanwhile (compiler threads, a jar opened late). */
    private static final int SLACK = 4;

    @TempDir
    Path root;

    @Test
    void manyMissionsLeaveNothingBehind() throws IOException {
        List<Soak.Sample> samples = Soak.missions(root, 300, 50);
        Soak.Sample baseline = samples.getFirst(); // after one mission warmed up what all of them share
        for (Soak.Sample s : samples) {
            assertTrue(s.threads() <= baseline.threads() + SLACK, "threads after mission " + s.iteration() + "\n"
                    + Soak.table(samples));
            assertTrue(s.descriptors() <= baseline.descriptors() + SLACK, "descriptors after mission "
                    + s.iteration() + "\n" + Soak.table(samples));
        }
        // 1 MB per 1,000 missions is a kilobyte kept by each: a leak, where a mission that closes keeps nothing
        double slope = Soak.slopeMbPer1000(samples, 100);
        assertTrue(slope < 1.0, "retained heap grows by " + slope + " MB per 1,000 missions\n" + Soak.table(samples));
    }

    @Test
    void aLongMissionRetainsLittleMoreThanItsTodosAndClosesWhatItOpened() throws IOException {
        Soak.longMission(root.resolve("warm-up"), 50, 50); // starts what the JVM starts once
        Soak.Sample baseline = Soak.sample(0, root);
        List<Soak.Sample> samples = Soak.longMission(root.resolve("long"), 1_000, 100);
        Soak.Sample closed = samples.getLast();
        assertTrue(closed.threads() <= baseline.threads() + SLACK, "threads after the mission closed: "
                + closed.threads() + ", before: " + baseline.threads());
        assertTrue(closed.descriptors() <= baseline.descriptors() + SLACK, "descriptors after the mission closed: "
                + closed.descriptors() + ", before: " + baseline.descriptors());
        // the state keeps every todo (about 0.3 kB each); a leak of a conversation or a call per todo is more
        double slope = Soak.slopeMbPer1000(samples.subList(0, samples.size() - 1), 200);
        assertTrue(slope < 1.0, "retained heap grows by " + slope + " MB per 1,000 todos\n" + Soak.table(samples));
    }
}
