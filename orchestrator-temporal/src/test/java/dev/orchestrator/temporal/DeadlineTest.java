package dev.orchestrator.temporal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.MissionResult;
import dev.orchestrator.core.llm.ScriptedProvider;
import io.temporal.testing.TestWorkflowEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The mission's deadline is a workflow timer: on the test service, its hour passes by time skipping. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class DeadlineTest {

    @TempDir
    Path temp;

    @Test
    void aMissionPastItsDeadlineEndsAsTheEmbeddedEngineSays() throws Exception {
        CountDownLatch held = new CountDownLatch(1);
        // t2's call never answers: without the deadline, the mission would wait for it for ever
        ScriptedProvider provider = FourTodos.script(FourTodos.heldUntilInterrupted(held), FourTodos.saysBIsWritten());
        Path shared = Files.createDirectories(temp.resolve("shared"));
        // time skipping: the service moves its clock to the next timer whenever the client waits for a result
        try (TestWorkflowEnvironment temporal = TestWorkflowEnvironment.newInstance()) {
            MissionWorker worker = TemporalMissions.worker(temporal.getWorkflowClient(), MissionWorkerOptions.builder()
                    .missions(builder -> builder.provider(provider))
                    .workspaces(WorkspaceSource.sharedDirectory(shared)).build());
            try {
                MissionResult result = TemporalMissions.start(temporal.getWorkflowClient(),
                        FourTodos.mission("m1", Files.createDirectories(temp.resolve("client")), provider)
                                .deadline(Duration.ofHours(1)).build(),
                        // a heartbeat timeout past the deadline: the held task is not retried before it
                        StartOptions.DEFAULT.withHeartbeatTimeout(Duration.ofHours(2))
                                .withFollowEvery(Duration.ofMillis(100))).await();
                assertEquals(MissionResult.Outcome.DEADLINE, result.outcome(), result.reason());
                assertTrue(result.reason().matches("the deadline of 60 min passed \\([0-4] of 4 todos done\\); give "
                        + "the mission more time with Mission\\.Builder\\.deadline\\(\\.\\.\\.\\) and run it again on "
                        + "the same journal to go on from here"), result.reason());
                assertTrue(result.duration().compareTo(Duration.ofHours(1)) >= 0, "an hour of workflow time: "
                        + result.duration());
            } finally {
                worker.shutdownNow(); // the held call is interrupted
            }
        }
    }
}
