package dev.orchestrator.mcp;

import dev.orchestrator.api.Tool;
import dev.orchestrator.api.ToolArguments;
import dev.orchestrator.api.ToolContext;
import dev.orchestrator.api.ToolResult;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32C;
import tools.jackson.databind.json.JsonMapper;

/**
 * One tool of an MCP server, as the agents see it: named after its server, with its input schema, idempotent only
 * when the server's annotations say so (a resumed mission then re-runs a call a crash cut off; otherwise it
 * reports the call instead of repeating a side effect).
 */
final class McpTool implements Tool {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final ServerConnection server;
    private final String remoteName;
    private final String name;
    private final String description;
    private final String inputSchema;
    private final boolean idempotent;

    McpTool(ServerConnection server, McpSchema.Tool tool) {
        this.server = server;
        this.remoteName = tool.name();
        this.name = name(server.name(), tool.name());
        this.description = (tool.description() == null || tool.description().isBlank() ? tool.name()
                : tool.description()) + " (from the MCP server '" + server.name() + "')";
        this.inputSchema = schema(tool.inputSchema());
        McpSchema.ToolAnnotations hints = tool.annotations();
        this.idempotent = hints != null && (Boolean.TRUE.equals(hints.idempotentHint())
                || Boolean.TRUE.equals(hints.readOnlyHint()));
    }

    /**
     * {@code <server>_<tool>}, with what providers refuse in a tool name replaced by {@code _}; a name past 64
     * characters is cut and ends with a checksum of the whole, so that two long names stay apart.
     */
    static String name(String server, String tool) {
        String whole = (server + "_" + tool).replaceAll("[^A-Za-z0-9_-]", "_");
        if (whole.length() <= 64) {
            return whole;
        }
        CRC32C crc = new CRC32C();
        crc.update((server + "_" + tool).getBytes(StandardCharsets.UTF_8));
        return whole.substring(0, 55) + "_" + String.format("%08x", crc.getValue());
    }

    /** The server's schema as JSON text, always an object with properties, as every provider wants. */
    static String schema(Map<String, Object> schema) {
        Map<String, Object> object = new LinkedHashMap<>(schema == null ? Map.of() : schema);
        object.putIfAbsent("type", "object");
        object.putIfAbsent("properties", Map.of());
        return JSON.writeValueAsString(object);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public String inputSchema() {
        return inputSchema;
    }

    @Override
    public boolean isIdempotent() {
        return idempotent;
    }

    @Override
    public ToolResult execute(ToolArguments arguments, ToolContext context) {
        return server.call(remoteName, arguments.json());
    }

    @Override
    public String toString() {
        return name + " (MCP " + server.name() + "/" + remoteName + ")";
    }
}
