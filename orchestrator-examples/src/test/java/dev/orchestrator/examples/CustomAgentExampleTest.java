package dev.orchestrator.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.MissionResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CustomAgentExampleTest {

    @TempDir
    Path workspace;

    @Test
    void theCustomReviewerFindsTheMissingHeaderAndTheMissionFixesIt() throws IOException {
        MissionResult result = CustomAgentExample.mission(workspace, (event, progress) -> { }).run();

        assertEquals(MissionResult.Outcome.COMPLETED, result.outcome(), result.reason());
        assertEquals(2, result.iterations());
        assertTrue(Files.readString(workspace.resolve("B.java")).startsWith(CustomAgentExample.HEADER));
        assertTrue(result.todos().stream().anyMatch(t -> t.todo().id().equals("header-b")));
    }
}
