package dev.orchestrator.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Optional;
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
                .maxParallelWorkers(0).maxIterations(0).callPatience(java.time.Duration.ZERO).build());

        String message = invalid.getMessage();
        assertTrue(message.contains("goal is required"), message);
        assertTrue(message.contains("workspace is required"), message);
        assertTrue(message.contains("provider is required"), message);
        assertTrue(message.contains("verifyWith is required"), message);
        assertTrue(message.contains("maxParallelWorkers must be between 1 and 10000, was 0"), message);
        assertTrue(message.contains("maxIterations must be between 1 and 1000, was 0"), message);
        assertTrue(message.contains("callPatience must be positive, was PT0S"), message);
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
        assertEquals(Optional.empty(), settings.journal());
        assertTrue(settings.agents().isEmpty());
        assertTrue(settings.threadFactory().newThread(() -> { }).isVirtual());
        assertEquals(36, settings.missionId().length());
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
}
