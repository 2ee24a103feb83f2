package dev.orchestrator.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.MissionResult;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CustomToolExampleTest {

    @TempDir
    Path workspace;

    @Test
    void theRecordsSchemaIsShownAndTheToolCountsTheWords() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        MissionResult result = CustomToolExample.run(workspace, new PrintStream(bytes, true, StandardCharsets.UTF_8));

        String output = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(MissionResult.Outcome.COMPLETED, result.outcome(), result.reason());
        assertTrue(output.contains("\"path\":{\"type\":\"string\"}"), output);
        assertTrue(output.contains("\"lines\":{\"type\":\"boolean\"}"), output);
        assertTrue(output.contains("\"required\":[\"path\"]"), output);
        assertTrue(output.contains("count_words answered the Worker: notes.txt: 9 words"), output);
        assertTrue(output.contains("Outcome: COMPLETED"), output);
    }
}
