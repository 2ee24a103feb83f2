package dev.orchestrator.mcp;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import io.modelcontextprotocol.spec.McpSchema.ToolAnnotations;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;

/**
 * A real MCP server on standard input and output, written with the SDK, that the tests start as a child JVM:
 * {@code echo} (read-only), {@code write_note} (writes a file in the directory given as argument: a side effect),
 * {@code fail} (an error result), {@code crash} (the server dies in the middle of the call), {@code env} (its
 * environment) and {@code roots} (the roots the client gave).
 */
public final class NotesServer {

    public static void main(String[] args) throws InterruptedException {
        Path notes = Path.of(args[0]);
        Map<String, Object> textSchema = Map.of("type", "object", "properties",
                Map.of("text", Map.of("type", "string", "description", "the text")), "required", List.of("text"));
        Map<String, Object> noteSchema = Map.of("type", "object", "properties",
                Map.of("name", Map.of("type", "string"), "text", Map.of("type", "string")),
                "required", List.of("name", "text"));
        var input = InputEnd.watch(System.in, () -> Runtime.getRuntime().halt(0));
        var server = McpServer.sync(new StdioServerTransportProvider(McpJsonDefaults.getMapper(), input, System.out))
                .serverInfo("notes", "1.0")
                .capabilities(McpSchema.ServerCapabilities.builder().tools(false).build())
                .tools(tool("echo", "Repeats the text", textSchema, new ToolAnnotations("Echo", true, false, true,
                                false, null), arguments -> ok("echo: " + arguments.get("text"))),
                        tool("write_note", "Writes a note", noteSchema, null, arguments -> {
                            try {
                                Files.writeString(notes.resolve((String) arguments.get("name")),
                                        (String) arguments.get("text"));
                            } catch (IOException e) {
                                throw new UncheckedIOException(e);
                            }
                            return ok("wrote " + arguments.get("name"));
                        }),
                        tool("fail", "Always fails", Map.of("type", "object"), null, arguments ->
                                CallToolResult.builder().content(List.of(new TextContent("the disk is full")))
                                        .isError(true).build()),
                        tool("crash", "Dies in the middle of the call", Map.of("type", "object"), null, arguments -> {
                            Runtime.getRuntime().halt(3);
                            return ok("unreachable");
                        }),
                        tool("env", "Its environment, a NAME=value a line", Map.of("type", "object"), null,
                                arguments -> ok(String.join("\n", new TreeMap<>(System.getenv()).entrySet().stream()
                                        .map(Object::toString).toList()))))
                .toolCall(new McpSchema.Tool("roots", null, "The client's roots", Map.of("type", "object"), null,
                        new ToolAnnotations("Roots", true, false, true, false, null), null), (exchange, request) ->
                        ok(String.join(" ", exchange.listRoots().roots().stream().map(McpSchema.Root::uri).toList())))
                .build();
        // the transport reads standard input on threads of its own; the process ends when its input does, as
        // well-behaved stdio servers do
        new CountDownLatch(1).await();
        server.close();
    }

    private static SyncToolSpecification tool(String name, String description, Map<String, Object> schema,
            ToolAnnotations annotations, java.util.function.Function<Map<String, Object>, CallToolResult> handler) {
        return SyncToolSpecification.builder()
                .tool(new McpSchema.Tool(name, null, description, schema, null, annotations, null))
                .callHandler((exchange, request) -> handler.apply(request.arguments()))
                .build();
    }

    private static CallToolResult ok(String text) {
        return CallToolResult.builder().content(List.of(new TextContent(text))).isError(false).build();
    }
}
