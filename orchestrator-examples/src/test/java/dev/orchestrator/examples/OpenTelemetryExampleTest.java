package dev.orchestrator.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.MissionResult;
import dev.orchestrator.cli.ProviderChoice;
import dev.orchestrator.cli.QuickStartScript;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OpenTelemetryExampleTest {

    @TempDir
    Path workspace;

    @Test
    void theQuickStartsMissionPrintsAsATreeOfAgentsCallsAndTools() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        MissionResult result;
        try (ProviderChoice scripted = ProviderChoice.fromEnvironment(Map.of(),
                () -> QuickStartScript.provider(Duration.ZERO))) {
            result = OpenTelemetryExample.run(workspace, scripted, new PrintStream(bytes, true,
                    StandardCharsets.UTF_8));
        }

        assertEquals(MissionResult.Outcome.COMPLETED, result.outcome(), result.reason());
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        int header = lines.indexOf("Spans (start after the mission's, length, name):");
        assertTrue(header >= 0, String.join("\n", lines));
        // the mission is the root, at 0 ms, its agents one level under it, their calls and tools under them
        assertTrue(lines.get(header + 1).matches("\\s+\\+0\\.0 ms\\s+[0-9.]+ ms  mission"), lines.get(header + 1));
        List<String> tree = lines.subList(header + 1, lines.size());
        assertTrue(tree.stream().anyMatch(l -> l.endsWith(" ms    invoke_agent commander (triage)")), String.join("\n", tree));
        assertTrue(tree.stream().anyMatch(l -> l.endsWith(" ms    invoke_agent planner (plan)")), String.join("\n", tree));
        assertTrue(tree.stream().filter(l -> l.matches(".* ms    invoke_agent worker \\(.+#1\\)")).count() >= 6,
                String.join("\n", tree));
        assertTrue(tree.stream().anyMatch(l -> l.matches(".* ms      chat .+")), String.join("\n", tree));
        assertTrue(tree.stream().anyMatch(l -> l.matches(".* ms      execute_tool write_file")),
                String.join("\n", tree));
        assertTrue(lines.contains("Outcome: COMPLETED"), String.join("\n", lines));
    }
}
