package dev.orchestrator.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.MissionResult;
import dev.orchestrator.api.TodoStatus;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FanOutExampleTest {

    @TempDir
    Path workspace;

    @Test
    void twoHundredWorkersRunAtOnceAndTheReportSaysSo() {
        Duration latency = Duration.ofMillis(300);

        FanOutExample.Report report = FanOutExample.run(workspace, 200, latency);

        assertEquals(MissionResult.Outcome.COMPLETED, report.result().outcome(), report.result().reason());
        assertEquals(200, report.result().todos().stream().filter(t -> t.state() == TodoStatus.State.DONE).count());
        assertTrue(report.window().compareTo(latency) >= 0, "no Worker finishes before its call: " + report.window());
        // one after the other they would take 60 s; at once, about one call: this bound only says "in parallel"
        assertTrue(report.window().compareTo(Duration.ofSeconds(20)) < 0, "the Workers ran one after the other: "
                + report.window());
        assertTrue(report.describe().startsWith(
                "200 Workers, one model call of 300 ms each: the Workers' window took "), report.describe());
    }
}
