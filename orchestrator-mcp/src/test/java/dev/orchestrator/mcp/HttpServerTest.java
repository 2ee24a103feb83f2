package dev.orchestrator.mcp;

import static dev.orchestrator.core.llm.ScriptedReplies.brief;
import static dev.orchestrator.core.llm.ScriptedReplies.call;
import static dev.orchestrator.core.llm.ScriptedReplies.issues;
import static dev.orchestrator.core.llm.ScriptedReplies.plan;
import static dev.orchestrator.core.llm.ScriptedReplies.text;
import static dev.orchestrator.core.llm.ScriptedReplies.todo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.Agent;
import dev.orchestrator.api.Mission;
import dev.orchestrator.api.MissionEvent;
import dev.orchestrator.api.MissionResult;
import dev.orchestrator.api.Tool;
import dev.orchestrator.api.ToolResult;
import dev.orchestrator.core.llm.ScriptedProvider;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** MCP servers' tools over Streamable HTTP, against a real server written with the SDK, in Jetty on loopback. */
class HttpServerTest {

    @TempDir
    Path workspace;

    @Test
    void everyRequestKeepsTheUrlsQueryAndCarriesTheHeaders() throws Exception {
        try (RemoteServer server = RemoteServer.start()) {
            try (McpTools mcp = McpTools.builder().http("remote", URI.create("http://127.0.0.1:" + server.port()
                    + "/mcp?key=abc"), Map.of("Authorization", "Bearer t0ken")).start()) {
                assertEquals(List.of("remote_seen"), mcp.tools().stream().map(Tool::name).toList());

                assertEquals(ToolResult.ok("key=abc, Authorization: Bearer t0ken"),
                        McpToolsTest.invoke(mcp.tools().getFirst(), "{}"));
                // the client opens its GET stream on a thread of its own once the session has started
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (!server.methods().contains("GET") && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
            }
            // closed: the DELETE that ends the session has been sent too
            assertEquals(Set.of("POST", "GET", "DELETE"), server.methods(), server.requests().toString());
            assertTrue(server.requests().stream().allMatch(request -> request.endsWith(" key=abc Bearer t0ken")),
                    server.requests().toString());
        }
    }

    @Test
    void aServerThatEchoesItsTokenHasItRedactedBeforeTheModelOrTheJournalSeesIt() throws Exception {
        List<MissionEvent> events = Collections.synchronizedList(new ArrayList<>());
        ScriptedProvider provider = ScriptedProvider.builder()
                .onTask(Agent.COMMANDER, "triage", brief("Ask the server."))
                .onTask(Agent.PLANNER, "plan", plan(todo("t1", "Ask the server what it saw")))
                .onTask(Agent.WORKER, "t1#1", call("remote_seen", Map.of()), text("Asked."))
                .onTask(Agent.REVIEWER, "review-1", issues())
                .build();
        try (RemoteServer server = RemoteServer.start();
                McpTools mcp = McpTools.builder().http("remote", URI.create("http://127.0.0.1:" + server.port()
                        + "/mcp?key=abc"), Map.of("Authorization", "Bearer t0ken-5ecret")).start()) {
            MissionResult result = mcp.addTo(Mission.builder().goal("Ask").workspace(workspace).provider(provider)
                    .verifyWith("true").listener((event, progress) -> events.add(event))).build().run();
            assertEquals(MissionResult.Outcome.COMPLETED, result.outcome(), result.reason());
        }

        assertEquals(List.of(ToolResult.ok("key=abc, Authorization: [redacted]")), events.stream()
                .flatMap(event -> event instanceof MissionEvent.ToolCallCompleted completed
                        ? Stream.of(completed.result()) : Stream.empty()).toList());
    }

    @Test
    void aUrlWithCredentialsIsRefusedWithoutShowingThem() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> McpTools.builder()
                .http("remote", URI.create("http://user:s3cret@127.0.0.1:1/mcp")));

        assertTrue(refused.getMessage().startsWith("the URL of the MCP server 'remote' holds credentials"),
                refused.getMessage());
        assertTrue(refused.getMessage().contains("as a header"), refused.getMessage());
        assertFalse(refused.getMessage().contains("s3cret"), refused.getMessage());
    }

    @Test
    void aHeadersValueIsShownNowhere() {
        URI url = URI.create("http://127.0.0.1:1/mcp");
        assertEquals("Http[name=remote, url=http://127.0.0.1:1/mcp, headers=[Authorization]]",
                new ServerSpec.Http("remote", url, Map.of("Authorization", "Bearer t0ken")).toString());

        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> McpTools.builder()
                .http("remote", url, Map.of("Authorization", "Bearer t0ken\r\nX-Injected: 1")));
        assertTrue(refused.getMessage().contains("'Authorization'"), refused.getMessage());
        assertFalse(refused.getMessage().contains("t0ken"), refused.getMessage());
    }

    /**
     * An MCP server on 127.0.0.1 with one tool, {@code seen}, that answers with the {@code key} query parameter and
     * the {@code Authorization} header of its call's request; a filter in front of it records every request.
     */
    private record RemoteServer(Server jetty, McpSyncServer mcp, List<String> requests) implements AutoCloseable {

        static RemoteServer start() throws Exception {
            HttpServletStreamableServerTransportProvider transport = HttpServletStreamableServerTransportProvider
                    .builder().mcpEndpoint("/mcp").contextExtractor(request -> McpTransportContext.create(
                            Map.of("seen", "key=" + request.getParameter("key") + ", Authorization: "
                                    + request.getHeader("Authorization"))))
                    .build();
            McpSyncServer mcp = McpServer.sync(transport).serverInfo("remote", "1.0")
                    .capabilities(McpSchema.ServerCapabilities.builder().tools(false).build())
                    .tools(SyncToolSpecification.builder()
                            .tool(McpSchema.Tool.builder("seen", Map.of("type", "object"))
                                    .description("What the call's request carried").build())
                            .callHandler((exchange, request) -> CallToolResult.builder().content(List.of(
                                    TextContent.builder((String) exchange.transportContext().get("seen")).build()))
                                    .isError(false).build())
                            .build())
                    .build();

            List<String> requests = new CopyOnWriteArrayList<>();
            Filter recorder = (request, response, chain) -> {
                HttpServletRequest http = (HttpServletRequest) request;
                requests.add(http.getMethod() + " " + http.getQueryString() + " " + http.getHeader("Authorization"));
                chain.doFilter(request, response);
            };
            ServletContextHandler context = new ServletContextHandler();
            // the transport answers on a servlet's async context, so the filter in front of it must allow that too
            FilterHolder filter = new FilterHolder(recorder);
            filter.setAsyncSupported(true);
            context.addFilter(filter, "/*", EnumSet.of(DispatcherType.REQUEST));
            ServletHolder servlet = new ServletHolder(transport);
            servlet.setAsyncSupported(true);
            context.addServlet(servlet, "/mcp");

            Server jetty = new Server();
            ServerConnector connector = new ServerConnector(jetty);
            connector.setHost("127.0.0.1");
            connector.setPort(0);
            jetty.addConnector(connector);
            jetty.setHandler(context);
            jetty.start();
            return new RemoteServer(jetty, mcp, requests);
        }

        Set<String> methods() {
            return requests.stream().map(request -> request.split(" ")[0]).collect(Collectors.toSet());
        }

        int port() {
            return ((ServerConnector) jetty.getConnectors()[0]).getLocalPort();
        }

        @Override
        public void close() {
            mcp.close();
            try {
                jetty.stop();
            } catch (Exception e) {
                throw new IllegalStateException("the test's Jetty did not stop", e);
            }
        }
    }
}
