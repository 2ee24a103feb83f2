package dev.orchestrator.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MissionBuilderTest {

    @TempDir
    Path workspace;

    private static final LlmProvider PROVIDER = new LlmProvider() {
        @Override
        public String name() {
            return "test";
        }

        @Override
        public String defaultModel() {
            return "m";
        }

        @Override
        public ChatResponse chat(ChatRequest request) {
            throw new UnsupportedOperationException("not called by these tests");
        }
    };

    @Test
    void buildNamesEveryMissingSettingAtOnce() {
        IllegalStateException invalid = assertThrows(IllegalStateException.class, () -> Mission.builder()
                .maxParallelWorkers(0).maxIterations(0).deadline(Duration.ZERO).callPatience(Duration.ZERO)
                .build());

        String message = invalid.getMessage();
        assertTrue(message.contains("goal is required"), message);
        assertTrue(message.contains("workspace is required"), message);
        assertTrue(message.contains("provider is required"), message);
        assertTrue(message.contains("verifyWith is required"), message);
        // each setting as the user writes it, which the CLI turns into its option
        assertTrue(message.contains("Mission.Builder.maxParallelWorkers(...) must be between 1 and 100000, was 0"),
                message);
        assertTrue(message.contains("Mission.Builder.maxIterations(...) must be between 1 and 1000, was 0"), message);
        assertTrue(message.contains("Mission.Builder.deadline(...) must be positive, was PT0S"), message);
        assertTrue(message.contains("Mission.Builder.callPatience(...) must be positive, was PT0S"), message);
    }

    @Test
    void aWorkspaceThatIsNotADirectoryIsRefused() {
        IllegalStateException invalid = assertThrows(IllegalStateException.class, () -> Mission.builder()
                .goal("g").workspace(workspace.resolve("missing")).provider(PROVIDER).verifyWith("true").build());

        assertTrue(invalid.getMessage().contains("is not a directory: create it first"), invalid.getMessage());
    }

    @Test
    void defaultsAreTheDocumentedOnes() throws Exception {
        Mission mission = Mission.builder().goal("  g  ").workspace(workspace).provider(PROVIDER).verifyWith("true")
                .build();

        var settings = mission.settings();
        assertEquals("g", settings.goal());
        assertEquals(workspace.toRealPath(), settings.workspace());
        assertEquals(50, settings.maxParallelWorkers());
        assertEquals(10, settings.maxIterations());
        assertEquals(java.time.Duration.ofMinutes(15), settings.callPatience());
        assertEquals(Budget.UNLIMITED, settings.budget());
        assertEquals(Optional.empty(), settings.deadline());
        assertEquals(Optional.empty(), settings.journal());
        assertTrue(settings.agents().isEmpty());
        assertTrue(settings.threadFactory().newThread(() -> { }).isVirtual());
        // made by the engine, and only for a new mission: a resume takes the journal's
        assertEquals(Optional.empty(), settings.missionId());
    }

    @Test
    void anAgentReplacesTheOneOfTheSameRole() {
        Agent first = agent(Agent.REVIEWER);
        Agent second = agent(Agent.REVIEWER);

        Mission mission = Mission.builder().goal("g").workspace(workspace).provider(PROVIDER).verifyWith("true")
                .agent(first).agent(second).agent(agent("docs")).build();

        assertEquals(second, mission.settings().agents().get(Agent.REVIEWER));
        assertEquals(2, mission.settings().agents().size());
    }

    private static Agent agent(String role) {
        return new Agent() {
            @Override
            public String role() {
                return role;
            }

            @Override
            public AgentResult act(Task task, AgentContext context) {
                return new AgentResult.Done("");
            }
        };
    }

    @Test
    void valueTypesCheckTheirInvariants() {
        assertThrows(IllegalArgumentException.class, () -> Todo.of("has space", "d", java.util.List.of(),
                java.util.List.of()));
        assertThrows(IllegalArgumentException.class, () -> new ToolSpec("bad name!", "d", "{}"));
        assertThrows(IllegalArgumentException.class, () -> Budget.ofTokens(0));
        assertThrows(IllegalArgumentException.class, () -> new Usage(-1, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> ChatRequest.builder().build());
        assertEquals(new Usage(3, 5, 7, 9), Usage.of(1, 2).plus(new Usage(2, 3, 7, 9)));
        assertEquals(24, new Usage(3, 5, 7, 9).totalTokens());
    }

    @Test
    void aModelPriceCostsUsageByKind() {
        ModelPrice price = new ModelPrice(new java.math.BigDecimal("3"), new java.math.BigDecimal("15"),
                new java.math.BigDecimal("0.30"), new java.math.BigDecimal("3.75"));

        assertEquals(0, new java.math.BigDecimal("0.018").compareTo(price.cost(Usage.of(1_000, 1_000))));
        assertEquals(0, new java.math.BigDecimal("0.00405").compareTo(price.cost(new Usage(0, 0, 1_000, 1_000))));
    }

    /** A tool of the given name that is never run by these tests. */
    private static Tool named(String name) {
        return new Tool() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public String description() {
                return "d";
            }

            @Override
            public String inputSchema() {
                return "{\"type\":\"object\"}";
            }

            @Override
            public ToolResult execute(ToolArguments arguments, ToolContext context) {
                throw new UnsupportedOperationException("not called by these tests");
            }
        };
    }

    @Test
    void aToolNamedLikeABuiltInIsRefusedUnlessItReplacesItOnPurpose() {
        Mission.Builder base = Mission.builder().goal("g").workspace(workspace).provider(PROVIDER).verifyWith("true");

        IllegalStateException clash = assertThrows(IllegalStateException.class,
                () -> base.tool(named("run_command")).build());
        assertTrue(clash.getMessage().contains("tool 'run_command' has the name of a built-in tool: rename it, or "
                + "replace the built-in on purpose with replaceTool(...)"), clash.getMessage());

        Mission replaced = Mission.builder().goal("g").workspace(workspace).provider(PROVIDER).verifyWith("true")
                .replaceTool(named("run_command")).withoutTool("search").build();
        assertEquals(List.of("run_command"), replaced.settings().tools().stream().map(Tool::name).toList());
        assertEquals(Set.of("search"), replaced.settings().withoutTools());
    }

    @Test
    void onlyBuiltInToolsCanBeReplacedOrRemoved() {
        IllegalStateException invalid = assertThrows(IllegalStateException.class, () -> Mission.builder().goal("g")
                .workspace(workspace).provider(PROVIDER).verifyWith("true").replaceTool(named("deploy"))
                .withoutTool("shell").build());

        assertTrue(invalid.getMessage().contains("replaceTool: there is no built-in tool 'deploy' to replace"),
                invalid.getMessage());
        assertTrue(invalid.getMessage().contains("withoutTool: there is no built-in tool 'shell' (they are read_file, "
                + "write_file, edit_file, list_files, search, run_command, read_output, stop_process)"),
                invalid.getMessage());
    }

    @Test
    void commandAndSecretSettingsReachTheEngineAndSecretsNeverShowInText() {
        Mission mission = Mission.builder().goal("g").workspace(workspace).provider(PROVIDER).verifyWith("true")
                .commandNetwork(true).passEnvironment("MY_TOOL_HOME").secret("hunter2-value")
                .toolPolicy(ToolPolicy.readOnly()).build();

        CommandSandbox sandbox = mission.settings().sandbox();
        assertEquals(true, sandbox.network());
        assertEquals(List.of("MY_TOOL_HOME"), sandbox.environment());
        assertEquals(List.of("hunter2-value"), sandbox.secrets());
        assertTrue(!mission.settings().toString().contains("hunter2-value"), mission.settings().toString());

        String problems = assertThrows(IllegalStateException.class, () -> Mission.builder().goal("g")
                .workspace(workspace).provider(PROVIDER).verifyWith("true").toolPolicy(null).secret("").build())
                .getMessage();
        assertTrue(problems.contains("Mission.Builder.toolPolicy(...) must not be null"), problems);
        assertTrue(problems.contains("a secret is empty"), problems);
    }
}
