package dev.orchestrator.mcp;

import dev.orchestrator.api.CommandSandbox;
import dev.orchestrator.api.Mission;
import dev.orchestrator.api.MissionEvent;
import dev.orchestrator.api.MissionListener;
import dev.orchestrator.api.MissionProgress;
import dev.orchestrator.api.Tool;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The tools of MCP servers, for a mission's agents. Name the servers, start them, and add their tools to the
 * mission; the servers are closed when the mission finishes (and by {@link #close()}, for a mission that never
 * started):
 *
 * <pre>{@code
 * try (McpTools mcp = McpTools.builder()
 *         .stdio("files", "npx", "-y", "@modelcontextprotocol/server-filesystem", workspace.toString())
 *         .http("search", URI.create("http://localhost:8080/mcp"))
 *         .workspace(workspace)
 *         .start()) {
 *     MissionResult result = mcp.addTo(Mission.builder().goal(...).workspace(workspace)...).build().run();
 * }
 * }</pre>
 *
 * <p>Each server tool becomes a {@link Tool} named {@code <server>_<tool>}, with the server's input schema. A call
 * goes through the mission's {@link dev.orchestrator.api.ToolPolicy} and journal like any tool call; it is
 * idempotent, so re-run after a crash, only when the server marks the tool {@code idempotentHint} or
 * {@code readOnlyHint}. The server's error results, protocol errors and a server that dies mid-call all come back
 * to the model as error results. A stdio server that dies is started again once; if it dies again, its tools
 * answer with an error for the rest of the mission.
 */
public final class McpTools implements MissionListener, AutoCloseable {

    private final List<ServerConnection> servers;
    private final List<Tool> tools;
    private final Set<String> credentials;

    private McpTools(List<ServerConnection> servers, List<Tool> tools, Set<String> credentials) {
        this.servers = List.copyOf(servers);
        this.tools = List.copyOf(tools);
        this.credentials = Set.copyOf(credentials);
    }

    /** {@return a builder naming the servers} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return every server's tools, in the order the servers were named} */
    public List<Tool> tools() {
        return tools;
    }

    /**
     * Adds every tool to {@code mission}, the credentials given for the servers as secrets it redacts from every
     * tool result (a server that echoes its token), and this as a listener that closes the servers when it finishes.
     *
     * @param mission the mission being built
     * @return the same builder
     */
    public Mission.Builder addTo(Mission.Builder mission) {
        tools.forEach(mission::tool);
        credentials.forEach(mission::secret);
        return mission.listener(this);
    }

    /** Closes the servers when the mission finishes. */
    @Override
    public void onEvent(MissionEvent event, MissionProgress progress) {
        if (event instanceof MissionEvent.MissionFinished) {
            close();
        }
    }

    /** Ends every server's session and process; calls after it answer with an error. Closing twice does nothing. */
    @Override
    public void close() {
        servers.forEach(ServerConnection::close);
    }

    /** Names the servers; {@link #start()} starts them all or none. */
    public static final class Builder {
        private final Map<String, ServerSpec> servers = new LinkedHashMap<>();
        private Duration callTimeout = Duration.ofMinutes(5);
        private Path workspace;

        private Builder() {
        }

        /**
         * A server started as {@code command} that speaks MCP on its standard input and output, with the environment
         * the mission's commands get: an allowlist of the JVM's variables ({@code PATH}, {@code HOME}, {@code LANG}
         * and what build tools read; see {@link CommandSandbox}), never its API keys. Name further variables with
         * {@link #passEnvironment}.
         *
         * @param name the server's name, which prefixes its tools' names: 1-20 letters, digits, {@code _} or
         *     {@code -}
         * @param command the program and its arguments
         * @return this builder
         */
        public Builder stdio(String name, String... command) {
            return stdio(name, List.of(command), Map.of());
        }

        /**
         * A server started as {@code command}, with {@code environment} added to the allowlisted environment.
         *
         * @param name the server's name, which prefixes its tools' names
         * @param command the program and its arguments
         * @param environment variables to set for it
         * @return this builder
         */
        public Builder stdio(String name, List<String> command, Map<String, String> environment) {
            if (command.isEmpty()) {
                throw new IllegalArgumentException("the MCP server '" + name + "' needs a command to start it");
            }
            return add(new ServerSpec.Stdio(name, command, environment, Set.of()));
        }

        /**
         * Passes the JVM's variables {@code names} to the stdio server {@code server} as well, such as the token a
         * GitHub server needs: the only way a variable off the allowlist reaches a server.
         *
         * @param server the name of a stdio server named before
         * @param names the variables
         * @return this builder
         * @throws IllegalArgumentException if no stdio server is named {@code server}
         */
        public Builder passEnvironment(String server, String... names) {
            if (!(servers.get(server) instanceof ServerSpec.Stdio stdio)) {
                throw new IllegalArgumentException("no stdio MCP server is named '" + server + "': name it with "
                        + "stdio(...) before passing it environment variables");
            }
            Set<String> passed = new HashSet<>(stdio.passed());
            passed.addAll(List.of(names));
            servers.put(server, new ServerSpec.Stdio(server, stdio.command(), stdio.environment(), passed));
            return this;
        }

        /**
         * A server reached over Streamable HTTP at {@code url}, such as {@code http://localhost:8080/mcp}; a query
         * string in it ({@code ?key=...}) is sent with every request.
         *
         * @param name the server's name, which prefixes its tools' names
         * @param url the server's MCP endpoint
         * @return this builder
         * @throws IllegalArgumentException if {@code url} holds credentials ({@code user:password@}): send them as a
         *     header with {@link #http(String, URI, Map)}
         */
        public Builder http(String name, URI url) {
            return http(name, url, Map.of());
        }

        /**
         * A server reached over Streamable HTTP at {@code url}, with {@code headers} sent on every request to it,
         * such as {@code Map.of("Authorization", "Bearer " + token)}. The headers' values are never shown in
         * messages or logs.
         *
         * @param name the server's name, which prefixes its tools' names
         * @param url the server's MCP endpoint; a query string in it is sent with every request
         * @param headers the headers' names and values
         * @return this builder
         * @throws IllegalArgumentException if {@code url} holds credentials ({@code user:password@}), or a header is
         *     one the JDK's HTTP client refuses to send (such as {@code Host}, or a value with a line break)
         */
        public Builder http(String name, URI url, Map<String, String> headers) {
            Objects.requireNonNull(url, "url");
            if (url.getRawUserInfo() != null) {
                // the JDK's client sends no credentials from a URL, and messages and logs show the URL: this one
                // does not, lest it show them
                throw new IllegalArgumentException("the URL of the MCP server '" + name + "' holds credentials "
                        + "(user:password@ before its host), which are never sent and would be shown in messages and "
                        + "logs: remove them, and send them as a header with http(name, url, headers), such as "
                        + "Authorization: Bearer <token>");
            }
            headers.forEach((header, value) -> checkHeader(name, header, value));
            return add(new ServerSpec.Http(name, url, headers));
        }

        /**
         * Refuses a header the JDK's client would refuse at the server's start, in a message of our own: the
         * client's own message for a bad value shows the value.
         */
        private static void checkHeader(String server, String header, String value) {
            HttpRequest.Builder check = HttpRequest.newBuilder();
            try {
                check.header(header, "");
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("the header '" + header + "' of the MCP server '" + server
                        + "' cannot be sent (" + e.getMessage() + "): the JDK's HTTP client refuses it or sets it "
                        + "itself; remove it");
            }
            try {
                check.header(header, value);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("the value of the header '" + header + "' of the MCP server '"
                        + server + "' holds a character a header may not (a line break or another control "
                        + "character; the value is not shown): remove it");
            }
        }

        /**
         * The mission's workspace, given to the servers as their one root (for servers that confine themselves to
         * their client's roots, such as the filesystem server).
         *
         * @param workspace the workspace directory
         * @return this builder
         */
        public Builder workspace(Path workspace) {
            this.workspace = workspace.toAbsolutePath().normalize();
            return this;
        }

        /**
         * How long one call (and a server's start) may take before it answers with an error; 5 minutes by default.
         *
         * @param timeout the timeout
         * @return this builder
         */
        public Builder callTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("callTimeout must be positive, was " + timeout);
            }
            this.callTimeout = timeout;
            return this;
        }

        private Builder add(ServerSpec server) {
            if (server.name() == null || !server.name().matches("[A-Za-z0-9_-]{1,20}")) {
                throw new IllegalArgumentException("an MCP server's name must be 1-20 letters, digits, '_' or '-', "
                        + "was '" + server.name() + "'");
            }
            if (servers.putIfAbsent(server.name(), server) != null) {
                throw new IllegalArgumentException("two MCP servers are named '" + server.name() + "': rename one");
            }
            return this;
        }

        /**
         * Starts every server and lists its tools.
         *
         * @throws IllegalStateException if a server cannot be started, or two tools end up with one name; the
         *     servers already started are closed
         * @return the running servers' tools
         */
        public McpTools start() {
            List<ServerConnection> started = new ArrayList<>();
            try {
                List<Tool> tools = new ArrayList<>();
                Set<String> names = new HashSet<>();
                for (ServerSpec server : servers.values()) {
                    ServerConnection connection = ServerConnection.open(server, callTimeout,
                            Optional.ofNullable(workspace));
                    started.add(connection);
                    for (var tool : connection.tools()) {
                        McpTool adapted = new McpTool(connection, tool);
                        if (!names.add(adapted.name())) {
                            throw new IllegalStateException("two MCP tools are named '" + adapted.name()
                                    + "' once prefixed by their server: rename a server");
                        }
                        tools.add(adapted);
                    }
                }
                return new McpTools(started, tools, servers.values().stream()
                        .flatMap(server -> server.credentials().stream()).collect(Collectors.toSet()));
            } catch (RuntimeException e) {
                started.forEach(ServerConnection::close);
                throw e;
            }
        }
    }
}
