package dev.orchestrator.temporal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.LlmException;
import dev.orchestrator.api.MissionResult;
import dev.orchestrator.core.llm.ScriptedProvider;
import io.temporal.testing.TestWorkflowEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The mission's deadline is a workflow timer: on the test service, its minutes pass by time skipping. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class DeadlineTest {

    @TempDir
    Path temp;

    @Test
    void aMissionPastItsDeadlineEndsAsTheEmbeddedEngineSays() throws Exception {
        // t2's call always fails for a passing reason: Temporal retries it after a backoff (1 s doubling to a
        // minute), for ever without the deadline; between attempts no task runs, and the service skips the time
        ScriptedProvider provider = FourTodos.script(request -> {
            throw new LlmException.Transient("the model is overloaded", 0, null);
        }, FourTodos.saysBIsWritten());
        Path shared = Files.createDirectories(temp.resolve("shared"));
        // time skipping: the service moves its clock to the next timer whenever the client waits for a result
        try (TestWorkflowEnvironment temporal = TestWorkflowEnvironment.newInstance()) {
            MissionWorker worker = TemporalMissions.worker(temporal.getWorkflowClient(), MissionWorkerOptions.builder()
                    .missions(builder -> builder.provider(provider))
                    .workspaces(WorkspaceSource.sharedDirectory(shared)).build());
            try {
                MissionResult result = TemporalMissions.start(temporal.getWorkflowClient(),
                        FourTodos.mission("m1", Files.createDirectories(temp.resolve("client")), provider)
                                .deadline(Duration.ofMinutes(5)).build(),
                        StartOptions.builder().heartbeatTimeout(Duration.ofSeconds(2))
                                .followEvery(Duration.ofMillis(100)).build()).await();
                assertEquals(MissionResult.Outcome.DEADLINE, result.outcome(), result.reason());
                assertTrue(result.reason().matches("the deadline of 5 min passed \\([0-4] of 4 todos done\\); give "
                        + "the mission more time with Mission\\.Builder\\.deadline\\(\\.\\.\\.\\) and run it again on "
                        + "the same journal to go on from here"), result.reason());
                assertTrue(result.duration().compareTo(Duration.ofMinutes(5)) >= 0, "five minutes of workflow time: "
                        + result.duration());
            } finally {
                worker.close();
            }
        }
    }
}
