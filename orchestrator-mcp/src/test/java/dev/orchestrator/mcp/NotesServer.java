package dev.orchestrator.mcp;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import io.modelcontextprotocol.spec.McpSchema.ToolAnnotations;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * A real MCP server on standard input and output, written with the SDK, that the tests start as a child JVM:
 * {@code echo} (read-only), {@code write_note} (writes a file in the directory given as argument: a side effect),
 * {@code fail} (an error result), {@code crash} (the server dies in the middle of the call) and {@code roots} (the
 * roots the client gave).
 */
public final class NotesServer {

    public static void main(String[] args) throws InterruptedException {
        Path notes = Path.of(args[0]);
        Map<String, Object> textSchema = Map.of("type", "object", "properties",
                Map.of("text", Map.of("type", "string", "description", "the text")), "required", List.of("text"));
        Map<String, Object> noteSchema = Map.of("type", "object", "properties",
                Map.of("name", Map.of("type", "string"), "text", Map.of("type", "string")),
                "required", List.of("name", "text"));
        var server = McpServer.sync(new StdioServerTransportProvider(McpJsonDefaults.getMapper(), exitOnEnd(System.in),
                        System.out))
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
                        }))
                .toolCall(new McpSchema.Tool("roots", null, "The client's roots", Map.of("type", "object"), null,
                        new ToolAnnotations("Roots", true, false, true, false, null), null), (exchange, request) ->
                        ok(String.join(" ", exchange.listRoots().roots().stream().map(McpSchema.Root::uri).toList())))
                .build();
        // the transport reads standard input on threads of its own; the process ends when its input does
        new CountDownLatch(1).await();
        server.close();
    }

    /**
     * Standard input that ends the process when it ends, as well-behaved stdio servers do: the client closed it,
     * or died (even by kill -9), and nobody is left to serve.
     */
    private static InputStream exitOnEnd(InputStream in) {
        return new FilterInputStream(in) {
            @Override
            public int read() throws IOException {
                return end(super.read());
            }

            @Override
            public int read(byte[] bytes, int offset, int length) throws IOException {
                return end(super.read(bytes, offset, length));
            }

            private int end(int read) {
                if (read < 0) {
                    Runtime.getRuntime().halt(0);
                }
                return read;
            }
        };
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
