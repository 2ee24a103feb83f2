package dev.orchestrator.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.Tool;
import dev.orchestrator.api.ToolResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An MCP client drives missions through a {@link MissionServer} running as a child JVM. */
class MissionServerTest {

    @TempDir
    Path root;

    @Test
    void aClientStartsAMissionWaitsForItsEndAndCannotReachOutsideTheRoot() throws IOException {
        Files.createDirectories(root.resolve("greet"));
        try (McpTools mcp = McpTools.builder().stdio("orchestrator", Path.of(System.getProperty("java.home"), "bin",
                "java").toString(), "-cp", System.getProperty("java.class.path"),
                ScriptedMissionServer.class.getName(), root.toString()).start()) {
            Map<String, Tool> tools = new TreeMap<>();
            mcp.tools().forEach(tool -> tools.put(tool.name(), tool));
            assertEquals(java.util.List.of("orchestrator_cancel_mission", "orchestrator_mission_status",
                    "orchestrator_start_mission"), java.util.List.copyOf(tools.keySet()));
            assertFalse(tools.get("orchestrator_start_mission").isIdempotent(), "starting twice starts two");

            ToolResult started = McpToolsTest.invoke(tools.get("orchestrator_start_mission"),
                    "{\"goal\":\"Write A.txt\",\"workspace\":\"greet\",\"verify_command\":\"true\"}");
            assertFalse(started.isError(), started.content());
            String id = started.content().substring("started mission ".length());

            ToolResult ended = McpToolsTest.invoke(tools.get("orchestrator_mission_status"),
                    "{\"mission_id\":\"" + id + "\",\"wait_seconds\":300}");
            assertTrue(ended.content().startsWith("COMPLETED: "), ended.content());
            assertTrue(ended.content().endsWith(" tokens, reviews: 1)"), ended.content());
            assertEquals("a\n", Files.readString(root.resolve("greet/A.txt")));

            ToolResult outside = McpToolsTest.invoke(tools.get("orchestrator_start_mission"),
                    "{\"goal\":\"Escape\",\"workspace\":\"../..\",\"verify_command\":\"true\"}");
            assertTrue(outside.isError());
            assertTrue(outside.content().contains("must be an existing directory under"), outside.content());
            assertTrue(McpToolsTest.invoke(tools.get("orchestrator_mission_status"), "{\"mission_id\":\"nope\"}")
                    .isError());
        }
    }
}
