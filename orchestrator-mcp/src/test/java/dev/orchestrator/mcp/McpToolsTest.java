package dev.orchestrator.mcp;

import static dev.orchestrator.core.llm.ScriptedReplies.brief;
import static dev.orchestrator.core.llm.ScriptedReplies.call;
import static dev.orchestrator.core.llm.ScriptedReplies.issues;
import static dev.orchestrator.core.llm.ScriptedReplies.plan;
import static dev.orchestrator.core.llm.ScriptedReplies.text;
import static dev.orchestrator.core.llm.ScriptedReplies.todo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.Agent;
import dev.orchestrator.api.Mission;
import dev.orchestrator.api.MissionEvent;
import dev.orchestrator.api.MissionResult;
import dev.orchestrator.api.MissionResult.Outcome;
import dev.orchestrator.api.Tool;
import dev.orchestrator.api.ToolArguments;
import dev.orchestrator.api.ToolContext;
import dev.orchestrator.api.ToolPolicy;
import dev.orchestrator.api.ToolResult;
import dev.orchestrator.api.Workspace;
import dev.orchestrator.core.llm.ScriptedProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** MCP servers' tools against a real stdio server written with the SDK, started as a child JVM. */
class McpToolsTest {

    @TempDir
    Path workspace;
    @TempDir
    Path notes;

    private McpTools.Builder notesServer() {
        return McpTools.builder().stdio("notes", java(),
                "-cp", System.getProperty("java.class.path"), NotesServer.class.getName(), notes.toString())
                .workspace(workspace);
    }

    @Test
    void aServersToolsArePrefixedWithTheirSchemasAndIdempotentOnlyByTheServersHints() {
        try (McpTools mcp = notesServer().start()) {
            Map<String, Tool> tools = byName(mcp);
            assertEquals(List.of("notes_crash", "notes_echo", "notes_env", "notes_fail", "notes_roots",
                    "notes_write_note"),
                    tools.keySet().stream().sorted().toList());
            assertTrue(tools.get("notes_echo").isIdempotent(), "read-only by its annotations");
            assertFalse(tools.get("notes_write_note").isIdempotent(), "no annotations: not idempotent");
            assertTrue(tools.get("notes_write_note").inputSchema().contains("\"required\":[\"name\",\"text\"]"),
                    tools.get("notes_write_note").inputSchema());
            assertTrue(tools.get("notes_fail").inputSchema().contains("\"properties\":{}"),
                    "an object schema gets the properties every provider wants");

            assertEquals(ToolResult.ok("echo: hi"), tools.get("notes_echo").execute(arguments("{\"text\":\"hi\"}"),
                    context()));
            assertEquals(ToolResult.error("the disk is full"), tools.get("notes_fail").execute(arguments("{}"),
                    context()));
            assertEquals(ToolResult.ok(workspace.toUri().toString()), tools.get("notes_roots").execute(
                    arguments("{}"), context()), "the workspace is the server's one root");
        }
    }

    @Test
    void aStdioServerGetsTheAllowlistedEnvironmentAndWhatItIsGivenNeverTheJvmsSecrets() {
        // set by the build (surefire's environmentVariables), as a user's shell would have exported them
        assertEquals("sk-canary-4242", System.getenv("MCP_TEST_API_KEY"), "run the test with Maven");
        assertEquals("passed-by-name", System.getenv("MCP_TEST_PASSED"), "run the test with Maven");

        try (McpTools mcp = notesServer().passEnvironment("notes", "MCP_TEST_PASSED").start()) {
            String environment = byName(mcp).get("notes_env").execute(arguments("{}"), context()).content();

            assertFalse(environment.contains("sk-canary-4242"), environment);
            assertFalse(environment.contains("MCP_TEST_API_KEY"), environment);
            assertTrue(environment.lines().anyMatch("MCP_TEST_PASSED=passed-by-name"::equals), environment);
            assertTrue(environment.lines().anyMatch(("PATH=" + System.getenv("PATH"))::equals), environment);
        }
        try (McpTools mcp = McpTools.builder().stdio("notes", List.of(java(), "-cp",
                System.getProperty("java.class.path"), NotesServer.class.getName(), notes.toString()),
                Map.of("NOTES_MODE", "quiet")).start()) {
            String environment = byName(mcp).get("notes_env").execute(arguments("{}"), context()).content();

            assertTrue(environment.lines().anyMatch("NOTES_MODE=quiet"::equals), environment);
            assertFalse(environment.contains("MCP_TEST_PASSED"), "passed to the server that named it only");
            assertFalse(environment.contains("sk-canary-4242"), environment);
        }
    }

    @Test
    void aServerThatDiesMidCallAnswersWithAnErrorIsRestartedOnceThenItsToolsFail() {
        try (McpTools mcp = notesServer().start()) {
            Map<String, Tool> tools = byName(mcp);
            List<ProcessHandle> first = servers();
            assertEquals(1, first.size(), "one server process");

            ToolResult crashed = tools.get("notes_crash").execute(arguments("{}"), context());
            assertTrue(crashed.isError());
            assertTrue(crashed.content().contains("exited during the call to 'crash'"), crashed.content());
            assertTrue(crashed.content().contains("started again"), crashed.content());

            assertEquals(ToolResult.ok("echo: again"), tools.get("notes_echo").execute(
                    arguments("{\"text\":\"again\"}"), context()), "restarted for the next call");
            List<ProcessHandle> second = servers();
            assertEquals(1, second.size());
            assertFalse(second.getFirst().pid() == first.getFirst().pid(), "a new process");

            ToolResult again = tools.get("notes_crash").execute(arguments("{}"), context());
            assertTrue(again.content().contains("not started again"), again.content());
            ToolResult gone = tools.get("notes_echo").execute(arguments("{\"text\":\"x\"}"), context());
            assertTrue(gone.isError());
            assertTrue(gone.content().contains("do without its tools"), gone.content());
            assertEquals(List.of(), servers(), "no third start");
        }
    }

    @Test
    void aServerKilledFromOutsideIsRestartedForTheNextCall() {
        try (McpTools mcp = notesServer().start()) {
            ProcessHandle server = servers().getFirst();
            server.destroyForcibly();
            server.onExit().join();

            assertEquals(ToolResult.ok("echo: back"), byName(mcp).get("notes_echo").execute(
                    arguments("{\"text\":\"back\"}"), context()));
        }
        assertEquals(List.of(), servers(), "closed with its process");
    }

    @Test
    void aWorkerUsesAnMcpToolAndTheServerEndsWithTheMission() throws IOException {
        List<MissionEvent> events = Collections.synchronizedList(new ArrayList<>());
        ScriptedProvider provider = ScriptedProvider.builder()
                .onTask(Agent.COMMANDER, "triage", brief("Write the note."))
                .onTask(Agent.PLANNER, "plan", plan(todo("t1", "Write the note hello with the notes server")))
                .onTask(Agent.WORKER, "t1#1", call("notes_write_note", Map.of("name", "hello", "text", "hi")),
                        call("notes_echo", Map.of("text", "done")), text("The note is written."))
                .onTask(Agent.REVIEWER, "review-1", issues())
                .build();
        MissionResult result;
        try (McpTools mcp = notesServer().start()) {
            result = mcp.addTo(Mission.builder().goal("Write a note").workspace(workspace).provider(provider)
                    .verifyWith("true").listener((event, progress) -> events.add(event))).build().run();
            assertEquals(List.of(), servers(), "closed when the mission finished, before the caller closes it");
        }

        assertEquals(Outcome.COMPLETED, result.outcome(), result.reason());
        assertEquals("hi", Files.readString(notes.resolve("hello")));
        List<ToolResult> results = events.stream().filter(MissionEvent.ToolCallCompleted.class::isInstance)
                .map(e -> ((MissionEvent.ToolCallCompleted) e).result()).toList();
        assertEquals(List.of(ToolResult.ok("wrote hello"), ToolResult.ok("echo: done")), results);
    }

    @Test
    void theToolPolicySeesMcpCallsBeforeTheServerDoes() throws IOException {
        ScriptedProvider provider = ScriptedProvider.builder()
                .onTask(Agent.COMMANDER, "triage", brief("Write the note."))
                .onTask(Agent.PLANNER, "plan", plan(todo("t1", "Write the note")))
                .onTask(Agent.WORKER, "t1#1", call("notes_write_note", Map.of("name", "hello", "text", "hi")),
                        text("I was not allowed to."))
                .onTask(Agent.REVIEWER, "review-1", issues())
                .build();
        try (McpTools mcp = notesServer().start()) {
            MissionResult result = mcp.addTo(Mission.builder().goal("Write a note").workspace(workspace)
                    .provider(provider).verifyWith("true").toolPolicy(call -> call.tool().startsWith("notes_write")
                            ? ToolPolicy.Decision.refuse("no notes today") : ToolPolicy.Decision.ALLOW))
                    .build().run();
            assertEquals(Outcome.COMPLETED, result.outcome(), result.reason());
        }
        assertFalse(Files.exists(notes.resolve("hello")), "the server never got the call");
    }

    @Test
    void aServerEndsWhenTheJvmThatStartedItIsKilled() throws Exception {
        Process jvm = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), HoldsServer.class.getName(), notes.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try (var lines = jvm.inputReader()) {
            String started = lines.readLine();
            assertTrue(started != null && started.startsWith("server "), "the JVM said: " + started);
            ProcessHandle server = ProcessHandle.of(Long.parseLong(started.split(" ")[1])).orElseThrow();

            jvm.destroyForcibly(); // SIGKILL: no shutdown hook, no close

            // its standard input ends with the JVM, and a stdio server ends with its input
            server.onExit().get(60, java.util.concurrent.TimeUnit.SECONDS);
            assertFalse(server.isAlive());
        } finally {
            jvm.destroyForcibly();
        }
    }

    /** The live child processes that run the notes server. */
    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static List<ProcessHandle> servers() {
        return ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
                .filter(p -> p.info().arguments().map(a -> List.of(a).contains(NotesServer.class.getName()))
                        .orElse(false)).toList();
    }

    private static Map<String, Tool> byName(McpTools mcp) {
        Map<String, Tool> tools = new java.util.TreeMap<>();
        mcp.tools().forEach(tool -> tools.put(tool.name(), tool));
        return tools;
    }

    /** Calls {@code tool} as the engine would, with {@code json} for arguments. */
    static ToolResult invoke(Tool tool, String json) {
        return tool.execute(arguments(json), null);
    }

    private static ToolArguments arguments(String json) {
        return new ToolArguments() {
            @Override
            public String string(String name) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Optional<String> optionalString(String name) {
                throw new UnsupportedOperationException();
            }

            @Override
            public long integer(String name, long defaultValue) {
                throw new UnsupportedOperationException();
            }

            @Override
            public boolean bool(String name, boolean defaultValue) {
                throw new UnsupportedOperationException();
            }

            @Override
            public List<String> strings(String name) {
                throw new UnsupportedOperationException();
            }

            @Override
            public String json() {
                return json;
            }
        };
    }

    private ToolContext context() {
        return new ToolContext() {
            @Override
            public Workspace workspace() {
                throw new UnsupportedOperationException("MCP tools do not touch the workspace themselves");
            }

            @Override
            public String taskId() {
                return "t1#1";
            }
        };
    }
}
