package dev.orchestrator.mcp;

import dev.orchestrator.api.ToolResult;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;

/** An MCP tool result as the model reads it: the text of its contents, an error when the server says so. */
final class ToolResults {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private ToolResults() {
    }

    static ToolResult of(McpSchema.CallToolResult result) {
        List<String> parts = new ArrayList<>();
        for (McpSchema.Content content : result.content() == null ? List.<McpSchema.Content>of() : result.content()) {
            parts.add(switch (content) {
                case McpSchema.TextContent text -> text.text();
                case McpSchema.ImageContent image -> "[an image, " + image.mimeType() + ", " + base64Bytes(image.data())
                        + " bytes, which this tool result cannot show]";
                case McpSchema.AudioContent audio -> "[audio, " + audio.mimeType() + ", " + base64Bytes(audio.data())
                        + " bytes, which this tool result cannot play]";
                case McpSchema.EmbeddedResource embedded -> embedded.resource() instanceof
                        McpSchema.TextResourceContents text ? text.uri() + ":\n" + text.text()
                        : "[a binary resource at " + embedded.resource().uri() + "]";
                case McpSchema.ResourceLink link -> "[a resource at " + link.uri() + (link.description() == null ? ""
                        : ": " + link.description()) + "]";
                default -> "[content of type " + content.type() + "]";
            });
        }
        if (parts.isEmpty() && result.structuredContent() != null) {
            parts.add(JSON.writeValueAsString(result.structuredContent()));
        }
        String text = String.join("\n", parts);
        if (Boolean.TRUE.equals(result.isError())) {
            return ToolResult.error(text.isEmpty() ? "the tool reported an error without saying what" : text);
        }
        return ToolResult.ok(text);
    }

    private static long base64Bytes(String data) {
        return data == null ? 0 : data.length() * 3L / 4;
    }
}
