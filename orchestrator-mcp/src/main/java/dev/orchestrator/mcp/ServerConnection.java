package dev.orchestrator.mcp;

import dev.orchestrator.api.ToolResult;
import io.modelcontextprotocol.client.McpAsyncClient;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;

/**
 * One MCP server and the client session to it. A stdio server's process is watched: a call it dies in answers
 * with an error at once (rather than when the call times out), the server is started again once for the calls
 * after, and if it dies again its tools answer with an error for the rest of the mission. Closing ends the
 * session and the whole process tree.
 */
final class ServerConnection implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(ServerConnection.class.getName());
    /** Servers start one at a time, so that the child process that appears is the one just started. */
    private static final ReentrantLock STARTS = new ReentrantLock();
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(3);

    /** A live session: the client and, for a stdio server, its process and when that process exits. */
    private record Session(McpAsyncClient client, Optional<ProcessHandle> process, CompletableFuture<?> exit) {

        /** Whether the server's process is gone: asked of the system, as the exit future completes a little later. */
        boolean isDead() {
            return exit.isDone() || process.map(p -> !p.isAlive()).orElse(false);
        }
    }

    private final ServerSpec spec;
    private final Duration callTimeout;
    private final Optional<Path> root;
    // a lock rather than a monitor: on JDK 21 a virtual thread blocked on a monitor pins its carrier
    private final ReentrantLock lock = new ReentrantLock();
    private Session session;
    private int restarts;
    private String unavailable;

    private ServerConnection(ServerSpec spec, Duration callTimeout, Optional<Path> root) {
        this.spec = spec;
        this.callTimeout = callTimeout;
        this.root = root;
    }

    /** Starts the server and opens a session to it. */
    static ServerConnection open(ServerSpec spec, Duration callTimeout, Optional<Path> root) {
        ServerConnection connection = new ServerConnection(spec, callTimeout, root);
        connection.session = connection.start();
        return connection;
    }

    String name() {
        return spec.name();
    }

    /** Every tool the server offers, all pages. */
    List<McpSchema.Tool> tools() {
        List<McpSchema.Tool> tools = new ArrayList<>();
        String cursor = null;
        do {
            McpSchema.ListToolsResult page = session.client().listTools(cursor).block(callTimeout);
            tools.addAll(page.tools());
            cursor = page.nextCursor();
        } while (cursor != null && !cursor.isEmpty());
        return tools;
    }

    /** Calls {@code tool} with {@code arguments} (JSON text); every failure is an error result for the model. */
    ToolResult call(String tool, String arguments) {
        Session current = current();
        if (current == null) {
            return ToolResult.error(unavailable);
        }
        CompletableFuture<McpSchema.CallToolResult> result = current.client()
                .callTool(new McpSchema.CallToolRequest(McpJsonDefaults.getMapper(), tool, arguments)).toFuture();
        try {
            CompletableFuture.anyOf(result, current.exit()).get(callTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            result.cancel(true);
            Thread.currentThread().interrupt();
            return ToolResult.error("the call to '" + tool + "' was interrupted: the mission is stopping");
        } catch (TimeoutException e) {
            result.cancel(true);
            return ToolResult.error("the MCP server '" + spec.name() + "' did not answer '" + tool + "' within "
                    + callTimeout.toSeconds() + " s; try again with less to do, or do without it");
        } catch (ExecutionException e) {
            // the call failed: read below
        }
        if (!result.isDone()) {
            crashed(current);
            return ToolResult.error("the MCP server '" + spec.name() + "' exited during the call to '" + tool
                    + "', so what the call did is unknown: check before calling it again. " + afterCrash());
        }
        try {
            return ToolResults.of(result.join());
        } catch (RuntimeException e) {
            Throwable cause = McpError.findRootCause(e);
            if (cause instanceof McpError error) {
                return ToolResult.error("the MCP server '" + spec.name() + "' refused the call to '" + tool + "': "
                        + error.getMessage() + ". Correct the arguments (see the tool's schema) or use another tool");
            }
            if (current.isDead()) {
                crashed(current);
                return ToolResult.error("the MCP server '" + spec.name() + "' exited during the call to '" + tool
                        + "', so what the call did is unknown: check before calling it again. " + afterCrash());
            }
            return ToolResult.error("the call to '" + tool + "' on the MCP server '" + spec.name() + "' failed: "
                    + cause);
        }
    }

    private String afterCrash() {
        lock.lock();
        try {
            return unavailable == null ? "The server is started again for the next call."
                    : "It had been restarted once already and is not started again: do without its tools.";
        } finally {
            lock.unlock();
        }
    }

    /** The session to call, restarting a crashed server once; null when the server is gone for good. */
    private Session current() {
        lock.lock();
        try {
            if (session != null && session.isDead()) {
                crashed(session);
            }
            if (session == null && unavailable == null) {
                restarts++;
                try {
                    session = start();
                } catch (RuntimeException e) {
                    unavailable = "the MCP server '" + spec.name() + "' crashed and could not be started again ("
                            + e.getMessage() + "): do without its tools";
                }
            }
            return session;
        } finally {
            lock.unlock();
        }
    }

    /** Notes that {@code dead}'s server died: the next call restarts it, unless it was restarted already. */
    private void crashed(Session dead) {
        lock.lock();
        try {
            if (session != dead) {
                return;
            }
            session = null;
            end(dead);
            if (restarts >= 1) {
                unavailable = "the MCP server '" + spec.name() + "' crashed again after a restart and is not started "
                        + "again: do without its tools";
            }
            LOG.log(Level.WARNING, "MCP server ''{0}'' exited; {1}", spec.name(),
                    unavailable == null ? "it is started again for the next call" : "it is not started again");
        } finally {
            lock.unlock();
        }
    }

    private Session start() {
        McpClient.AsyncSpec client = McpClient.async(transport()).requestTimeout(callTimeout)
                .initializationTimeout(callTimeout)
                .clientInfo(new McpSchema.Implementation("orchestrator-java", "0.1.0"));
        root.ifPresent(workspace -> client.capabilities(McpSchema.ClientCapabilities.builder().roots(true).build())
                .roots(new McpSchema.Root(workspace.toUri().toString(), "workspace")));
        McpAsyncClient started = client.build();
        if (spec instanceof ServerSpec.Stdio stdio) {
            STARTS.lock();
            try {
                Set<Long> before = children();
                initialize(started);
                List<ProcessHandle> appeared = ProcessHandle.current().children()
                        .filter(child -> !before.contains(child.pid())).toList();
                Optional<ProcessHandle> process = appeared.size() == 1 ? Optional.of(appeared.getFirst())
                        : appeared.stream().filter(child -> isServer(child, stdio)).findFirst();
                if (process.isEmpty()) {
                    LOG.log(Level.WARNING, "cannot find the process of MCP server ''{0}'': a crash will show only as "
                            + "failed calls", spec.name());
                }
                return new Session(started, process, process.<CompletableFuture<?>>map(ProcessHandle::onExit)
                        .orElseGet(CompletableFuture::new));
            } finally {
                STARTS.unlock();
            }
        }
        initialize(started);
        return new Session(started, Optional.empty(), new CompletableFuture<>());
    }

    private void initialize(McpAsyncClient client) {
        try {
            client.initialize().block(callTimeout);
        } catch (RuntimeException e) {
            client.close();
            throw new IllegalStateException("cannot start the MCP server '" + spec.name() + "': "
                    + McpError.findRootCause(e) + "; check its command or URL", e);
        }
    }

    private McpClientTransport transport() {
        return switch (spec) {
            case ServerSpec.Stdio stdio -> {
                StdioClientTransport transport = new AllowlistedStdioTransport(ServerParameters
                        .builder(stdio.command().getFirst()).args(stdio.command().subList(1, stdio.command().size()))
                        .env(stdio.environmentFrom(System.getenv())).build());
                transport.setStdErrorHandler(line -> LOG.log(Level.DEBUG, "MCP server ''{0}'': {1}", spec.name(),
                        line));
                yield transport;
            }
            case ServerSpec.Http http -> {
                URI url = http.url();
                String base = url.getScheme() + "://" + url.getRawAuthority();
                String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/mcp" : url.getRawPath();
                // the query is kept: some servers take their key there
                String endpoint = url.getRawQuery() == null ? path : path + "?" + url.getRawQuery();
                // the transport copies this builder for each request it makes (POST, the GET stream, the DELETE
                // that ends the session), so every request carries the headers
                HttpRequest.Builder requests = HttpRequest.newBuilder();
                http.headers().forEach(requests::header);
                yield HttpClientStreamableHttpTransport.builder(base).endpoint(endpoint).requestBuilder(requests)
                        .build();
            }
        };
    }

    /**
     * The SDK's stdio transport, whose process starts from an empty environment rather than a copy of the JVM's
     * (API keys included): it gets only the variables its parameters name.
     */
    private static final class AllowlistedStdioTransport extends StdioClientTransport {

        AllowlistedStdioTransport(ServerParameters parameters) {
            super(parameters, McpJsonDefaults.getMapper());
        }

        @Override
        protected ProcessBuilder getProcessBuilder() {
            ProcessBuilder builder = super.getProcessBuilder();
            builder.environment().clear();
            return builder;
        }
    }

    private static Set<Long> children() {
        return ProcessHandle.current().children().map(ProcessHandle::pid).collect(Collectors.toSet());
    }

    /**
     * Whether {@code child} runs {@code stdio}'s command, when other processes started meanwhile: its arguments end
     * with the command's (a script's interpreter, as {@code npx} is node's, puts the script's path before them).
     */
    private static boolean isServer(ProcessHandle child, ServerSpec.Stdio stdio) {
        List<String> arguments = child.info().arguments().map(List::of).orElse(List.of());
        List<String> expected = stdio.command().subList(1, stdio.command().size());
        return arguments.size() >= expected.size()
                && arguments.subList(arguments.size() - expected.size(), arguments.size()).equals(expected);
    }

    /** Ends the session and the server's whole process tree. */
    @Override
    public void close() {
        lock.lock();
        try {
            unavailable = "the MCP server '" + spec.name() + "' was closed with its mission";
            if (session != null) {
                end(session);
                session = null;
            }
        } finally {
            lock.unlock();
        }
    }

    private void end(Session ending) {
        // a server that died cannot say goodbye: waiting for it would only cost the grace period
        if (!ending.isDead()) {
            try {
                ending.client().closeGracefully().block(CLOSE_GRACE);
            } catch (RuntimeException e) {
                LOG.log(Level.DEBUG, "MCP server ''{0}'' did not close gracefully: {1}", spec.name(), e);
            }
        }
        ending.client().close();
        ending.process().ifPresent(ServerConnection::endTree);
    }

    /** Ends {@code process} and everything it started: asked first, forced after a grace period. */
    private static void endTree(ProcessHandle process) {
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        tree.add(process);
        tree.forEach(ProcessHandle::destroy);
        for (ProcessHandle handle : tree) {
            try {
                handle.onExit().get(CLOSE_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException | ExecutionException e) {
                handle.destroyForcibly();
            } catch (InterruptedException e) {
                handle.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
