package dev.orchestrator.journal.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Four processes share two hundred missions through one database: each mission runs and completes once. */
class ManyProcessesTest {

    private static final int MISSIONS = 200;
    private static final int PROCESSES = 4;

    @TempDir
    Path root;

    @Test
    void twoHundredMissionsFromFourProcessesEachCompleteOnce() throws Exception {
        DataSource db = TestDatabase.dataSource();
        String schema = TestDatabase.freshSchema("many");
        long started = System.nanoTime();
        List<CompletableFuture<Children.Child>> children = new ArrayList<>();
        for (int p = 0; p < PROCESSES; p++) {
            Process process = Children.start(schema, "p" + p, "many", Integer.toString(MISSIONS),
                    root.toString());
            Children.Child child = new Children.Child(process, new ArrayList<>());
            children.add(CompletableFuture.supplyAsync(() -> {
                try (BufferedReader out = Children.output(process)) {
                    child.readUntil(out, line -> false);
                    child.exit();
                    return child;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        Map<String, Integer> completions = new TreeMap<>();
        int[] perProcess = new int[PROCESSES];
        for (int p = 0; p < PROCESSES; p++) {
            Children.Child child = children.get(p).join();
            assertEquals(0, child.exit(), child.lines().toString());
            for (String line : child.lines()) {
                assertTrue(!line.startsWith("failed "), line);
                if (line.startsWith("completed ")) {
                    completions.merge(line.substring("completed ".length()), 1, Integer::sum);
                    perProcess[p]++;
                }
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("%d missions from %d processes in %.1f s (%.1f missions/s), per process %s%n", MISSIONS,
                PROCESSES, seconds, MISSIONS / seconds, java.util.Arrays.toString(perProcess));

        assertEquals(MISSIONS, completions.size());
        assertTrue(completions.values().stream().allMatch(n -> n == 1), completions.toString());
        assertEquals(MISSIONS, Children.query(db, schema, "SELECT count(*) FROM {schema}.missions WHERE finished"));
        assertEquals(MISSIONS, Children.query(db, schema, "SELECT count(*) FROM {schema}.events "
                + "WHERE event->>'type' = 'mission-finished'"), "each mission finished once");
        assertEquals(MISSIONS, Children.query(db, schema, "SELECT count(*) FROM {schema}.events "
                + "WHERE event->>'type' = 'mission-started'"), "each mission started once");
        IntStream.range(0, MISSIONS).forEach(i -> assertTrue(root.resolve("m" + i).resolve("m" + i + ".txt")
                .toFile().isFile(), "m" + i));
    }
}
