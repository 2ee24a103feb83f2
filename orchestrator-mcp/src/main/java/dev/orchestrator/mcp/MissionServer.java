package dev.orchestrator.mcp;

import dev.orchestrator.api.LlmProvider;
import dev.orchestrator.api.Mission;
import dev.orchestrator.api.MissionHandle;
import dev.orchestrator.api.MissionProgress;
import dev.orchestrator.api.MissionResult;
import dev.orchestrator.core.llm.OpenAiCompatible;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Missions for an MCP client (an IDE, a desktop assistant): an MCP server on standard input and output whose tools
 * are {@code start_mission} (a goal, a workspace under the server's root, a verify command), {@code mission_status}
 * (where a mission stands, waiting up to {@code wait_seconds} for it to end) and {@code cancel_mission}.
 *
 * <pre>{@code
 * MissionServer.builder(OpenAiCompatible.fromEnv(), Path.of("/home/me/projects"))
 *     .configure(mission -> mission.budget(Budget.ofTokens(2_000_000)))
 *     .build()
 *     .serveStdio();   // until the client closes the connection; missions still running are cancelled
 * }</pre>
 *
 * <p>{@link #main} serves with {@code OpenAiCompatible.fromEnv()} and the root given as its argument.
 */
public final class MissionServer {

    private static final int MAX_WAIT_SECONDS = 600;

    private final LlmProvider provider;
    private final Path root;
    private final Consumer<Mission.Builder> configure;
    private final Map<String, Running> missions = new ConcurrentHashMap<>();

    /** A mission started here, and what its listener last heard. */
    private record Running(MissionHandle handle, AtomicReference<MissionProgress> progress,
            AtomicReference<String> lastEvent) {
    }

    private MissionServer(Builder builder) {
        this.provider = builder.provider;
        this.root = builder.root;
        this.configure = builder.configure;
    }

    /**
     * A builder of a server whose missions use {@code provider} and work in directories under {@code root}.
     *
     * @param provider the model provider of every mission
     * @param root the directory the missions' workspaces must be in
     * @return the builder
     */
    public static Builder builder(LlmProvider provider, Path root) {
        return new Builder(provider, root);
    }

    /**
     * Serves missions on standard input and output with {@code OpenAiCompatible.fromEnv()}.
     *
     * @param args the root directory the missions' workspaces must be in
     * @throws InterruptedException if interrupted while serving
     */
    public static void main(String[] args) throws InterruptedException {
        if (args.length != 1) {
            System.err.println("usage: MissionServer <root directory of the missions' workspaces>");
            System.exit(2);
        }
        builder(OpenAiCompatible.fromEnv(), Path.of(args[0])).build().serveStdio();
    }

    /**
     * Serves on this JVM's standard input and output until the input ends (the client closed the connection or
     * died), then cancels the missions still running and waits for them to stop.
     *
     * @throws InterruptedException if interrupted while serving
     */
    public void serveStdio() throws InterruptedException {
        CountDownLatch ended = new CountDownLatch(1);
        McpSyncServer server = McpServer.sync(new StdioServerTransportProvider(McpJsonDefaults.getMapper(),
                        InputEnd.watch(System.in, ended::countDown), System.out))
                .serverInfo("orchestrator-java", "0.1.0")
                .capabilities(McpSchema.ServerCapabilities.builder().tools(false).build())
                .tools(tools())
                .build();
        try {
            ended.await();
        } finally {
            server.close();
            missions.values().forEach(running -> running.handle().cancel());
            for (Running running : missions.values()) {
                running.handle().await();
            }
        }
    }

    List<SyncToolSpecification> tools() {
        return List.of(
                tool("start_mission", "Starts a coding mission: a team of agents works on the goal in the workspace "
                        + "until the verify command passes and a review finds nothing open. Answers the mission's id.",
                        Map.of("goal", string("what the mission should achieve"),
                                "workspace", string("the project directory, relative to " + root),
                                "verify_command", string("the command that checks the work, e.g. mvn -q test")),
                        List.of("goal", "workspace", "verify_command"), false, this::start),
                tool("mission_status", "Where a mission stands: its todos, tokens and last event, or how it ended. "
                        + "Waits up to wait_seconds for it to end.",
                        Map.of("mission_id", string("the id start_mission answered"),
                                "wait_seconds", Map.of("type", "integer", "description", "how long to wait for the "
                                        + "mission to end, 0 to " + MAX_WAIT_SECONDS + "; 0 by default")),
                        List.of("mission_id"), true, this::status),
                tool("cancel_mission", "Cancels a running mission; it can be continued later on its journal.",
                        Map.of("mission_id", string("the id start_mission answered")), List.of("mission_id"), true,
                        this::cancel));
    }

    private CallToolResult start(Map<String, Object> arguments) {
        Path workspace = root.resolve(text(arguments, "workspace")).normalize();
        if (!workspace.startsWith(root) || !Files.isDirectory(workspace)) {
            return error("the workspace must be an existing directory under " + root + ", was " + workspace);
        }
        AtomicReference<MissionProgress> progress = new AtomicReference<>();
        AtomicReference<String> lastEvent = new AtomicReference<>("none yet");
        Mission.Builder mission = Mission.builder().goal(text(arguments, "goal")).workspace(workspace)
                .provider(provider).verifyWith(text(arguments, "verify_command"))
                .listener((event, now) -> {
                    progress.set(now);
                    lastEvent.set(event.getClass().getSimpleName() + " at " + event.at());
                });
        configure.accept(mission);
        MissionHandle handle;
        try {
            handle = mission.build().start();
        } catch (IllegalStateException e) {
            return error(e.getMessage());
        }
        missions.put(handle.missionId(), new Running(handle, progress, lastEvent));
        return ok("started mission " + handle.missionId());
    }

    private CallToolResult status(Map<String, Object> arguments) {
        Running running = missions.get(text(arguments, "mission_id"));
        if (running == null) {
            return error("no mission " + arguments.get("mission_id") + " was started here; ids: " + missions.keySet());
        }
        long wait = arguments.get("wait_seconds") instanceof Number seconds
                ? Math.clamp(seconds.longValue(), 0, MAX_WAIT_SECONDS) : 0;
        Optional<MissionResult> result;
        try {
            result = running.handle().await(Duration.ofSeconds(wait));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return error("interrupted while waiting; ask again");
        }
        if (result.isPresent()) {
            MissionResult end = result.get();
            return ok(end.outcome() + ": " + end.reason() + " (" + end.usage().totalTokens() + " tokens, reviews: "
                    + end.iterations() + ")");
        }
        MissionProgress now = running.progress().get();
        return ok("running" + (now == null ? "" : ": " + now.done() + " of " + now.total() + " todos done, "
                + now.running() + " running, " + now.failed() + " failed, reviews: " + now.iteration() + ", "
                + now.usage().totalTokens() + " tokens") + "; last event " + running.lastEvent().get());
    }

    private CallToolResult cancel(Map<String, Object> arguments) {
        Running running = missions.get(text(arguments, "mission_id"));
        if (running == null) {
            return error("no mission " + arguments.get("mission_id") + " was started here");
        }
        running.handle().cancel();
        return ok("cancelling mission " + running.handle().missionId() + "; ask mission_status for its end");
    }

    private static String text(Map<String, Object> arguments, String name) {
        return Objects.toString(arguments.get(name), "");
    }

    private static Map<String, Object> string(String description) {
        return Map.of("type", "string", "description", description);
    }

    private static SyncToolSpecification tool(String name, String description, Map<String, Object> properties,
            List<String> required, boolean idempotent, Function<Map<String, Object>, CallToolResult> handler) {
        return SyncToolSpecification.builder()
                .tool(new McpSchema.Tool(name, null, description, Map.of("type", "object", "properties", properties,
                        "required", required), null, new McpSchema.ToolAnnotations(null, false, false, idempotent,
                        true, null), null))
                .callHandler((exchange, request) -> handler.apply(request.arguments() == null ? Map.of()
                        : request.arguments()))
                .build();
    }

    private static CallToolResult ok(String text) {
        return CallToolResult.builder().content(List.of(new McpSchema.TextContent(text))).isError(false).build();
    }

    private static CallToolResult error(String text) {
        return CallToolResult.builder().content(List.of(new McpSchema.TextContent(text))).isError(true).build();
    }

    /** Builds a {@link MissionServer}. */
    public static final class Builder {
        private final LlmProvider provider;
        private final Path root;
        private Consumer<Mission.Builder> configure = mission -> { };

        private Builder(LlmProvider provider, Path root) {
            this.provider = Objects.requireNonNull(provider, "provider");
            this.root = root.toAbsolutePath().normalize();
        }

        /**
         * Settings given to every mission beyond its goal, workspace, provider and verify command (a budget, a
         * journal directory, a tool policy).
         *
         * @param configure applies them to each mission's builder
         * @return this builder
         */
        public Builder configure(Consumer<Mission.Builder> configure) {
            this.configure = Objects.requireNonNull(configure, "configure");
            return this;
        }

        /** {@return the server} */
        public MissionServer build() {
            return new MissionServer(this);
        }
    }
}
