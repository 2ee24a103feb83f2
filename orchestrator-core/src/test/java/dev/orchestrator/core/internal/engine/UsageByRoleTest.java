package dev.orchestrator.core.internal.engine;

import static dev.orchestrator.core.llm.ScriptedReplies.brief;
import static dev.orchestrator.core.llm.ScriptedReplies.issues;
import static dev.orchestrator.core.llm.ScriptedReplies.plan;
import static dev.orchestrator.core.llm.ScriptedReplies.text;
import static dev.orchestrator.core.llm.ScriptedReplies.todo;
import static dev.orchestrator.core.llm.ScriptedReplies.writeFile;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.Agent;
import dev.orchestrator.api.ChatRequest;
import dev.orchestrator.api.ChatResponse;
import dev.orchestrator.api.LlmProvider;
import dev.orchestrator.api.Message;
import dev.orchestrator.api.Mission;
import dev.orchestrator.api.MissionEvent;
import dev.orchestrator.api.MissionProgress;
import dev.orchestrator.api.MissionResult;
import dev.orchestrator.api.MissionResult.Outcome;
import dev.orchestrator.api.ModelPrice;
import dev.orchestrator.api.RoleUsage;
import dev.orchestrator.api.Usage;
import dev.orchestrator.core.internal.engine.MissionResumeTest.CrashingJournal;
import dev.orchestrator.core.llm.Anthropic;
import dev.orchestrator.core.llm.ModelPrices;
import dev.orchestrator.core.llm.OpenAiCompatible;
import dev.orchestrator.test.MockLlmServer;
import dev.orchestrator.test.MockReply;
import dev.orchestrator.test.RecordedRequest;
import dev.orchestrator.test.RecordedRequest.WireFormat;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;

/**
 * A mission's usage by role, as the providers report it over HTTP (a loopback server in each wire format, with
 * cached tokens as OpenAI and Anthropic report them), cut off by a crash and resumed: the resumed mission's figures
 * per role include the first run's calls, which the journal answers, and sum to its totals.
 */
class UsageByRoleTest {

    /** What each role's every call reports; OpenAI reports no cache writes, so they are only in Anthropic's. */
    private static final Map<String, Usage> OPENAI = Map.of(
            Agent.COMMANDER, new Usage(300, 20, 1_280, 0),
            Agent.PLANNER, new Usage(400, 60, 1_152, 0),
            Agent.WORKER, new Usage(50, 15, 2_048, 0),
            Agent.REVIEWER, new Usage(250, 30, 1_536, 0));
    private static final Map<String, Usage> ANTHROPIC = Map.of(
            Agent.COMMANDER, new Usage(300, 20, 0, 1_500),
            Agent.PLANNER, new Usage(400, 60, 1_200, 300),
            Agent.WORKER, new Usage(50, 15, 2_000, 100),
            Agent.REVIEWER, new Usage(250, 30, 1_500, 80));

    private static final ChatRequest ANY = ChatRequest.builder().message(Message.user("")).build();
    /** The progress the listener got with the last event of the last run. */
    private static final AtomicReference<MissionProgress> LAST = new AtomicReference<>();

    @TempDir
    Path root;

    @ParameterizedTest
    @EnumSource(WireFormat.class)
    void aResumedMissionReportsEachRolesUsageOverBothRunsSummingToItsTotals(WireFormat wire) throws IOException {
        Map<String, Usage> perCall = wire == WireFormat.OPENAI ? OPENAI : ANTHROPIC;
        String model = wire == WireFormat.OPENAI ? "gpt-4o" : "claude-sonnet-4";
        ModelPrice price = ModelPrices.defaults().priceOf(model).orElseThrow();
        try (MockLlmServer server = new MockLlmServer()) {
            Map<String, Integer> requests = new ConcurrentHashMap<>();
            server.respondWith(request -> {
                String role = role(request);
                requests.merge(role, 1, Integer::sum);
                return answer(role, request, perCall.get(role));
            });

            // a crash-free run shows where the first Worker call is recorded; the crash comes at that append
            CrashingJournal reference = new CrashingJournal(Long.MAX_VALUE, List.of());
            assertEquals(Outcome.COMPLETED, run(wire, model, server, Files.createDirectory(root.resolve("ref")),
                    reference).outcome());
            int firstWorkerCall = indexOf(reference.events, Agent.WORKER);
            requests.clear();

            Path workspace = Files.createDirectory(root.resolve("crashed"));
            CrashingJournal first = new CrashingJournal(firstWorkerCall, List.of());
            MissionResult crashed = run(wire, model, server, workspace, first);
            assertEquals(Outcome.FAILED, crashed.outcome(), crashed.reason());
            // the call whose record failed was paid for, so the crashed run counts it; the journal does not have it
            assertEquals(List.of(Agent.COMMANDER, Agent.PLANNER, Agent.WORKER), roles(crashed));
            assertSums(crashed);

            requests.clear();
            CrashingJournal second = new CrashingJournal(Long.MAX_VALUE, first.events);
            MissionResult resumed = run(wire, model, server, workspace, second);

            assertEquals(Outcome.COMPLETED, resumed.outcome(), resumed.reason());
            assertFalse(requests.containsKey(Agent.COMMANDER), "the journal answered the Commander: " + requests);
            assertFalse(requests.containsKey(Agent.PLANNER), "the journal answered the Planner: " + requests);
            Map<String, Long> calls = Map.of(Agent.COMMANDER, 1L, Agent.PLANNER, 1L, Agent.WORKER, 2L,
                    Agent.REVIEWER, 1L);
            assertEquals(List.of(Agent.COMMANDER, Agent.PLANNER, Agent.REVIEWER, Agent.WORKER), roles(resumed));
            for (RoleUsage role : resumed.usageByRole()) {
                long n = calls.get(role.role());
                Usage expected = times(perCall.get(role.role()), n);
                assertEquals(n, role.calls(), role.role());
                assertEquals(expected, role.usage(), role.role());
                assertEquals(0, price.cost(expected).compareTo(role.dollars().orElseThrow()), role.role());
            }
            assertTrue(resumed.usageOf(Agent.WORKER).orElseThrow().usage().cacheReadTokens() > 0);
            assertSums(resumed);
            // the live progress said on the way what the result says at the end, the crashed run's calls included
            assertEquals(resumed.usageByRole(), LAST.get().usageByRole());
            assertEquals(resumed.usage(), LAST.get().usage());
            assertEquals(resumed.usageOf(Agent.WORKER), LAST.get().usageOf(Agent.WORKER));
            assertEquals(second.events.stream().filter(MissionEvent.LlmCallCompleted.class::isInstance).count(),
                    resumed.usageByRole().stream().mapToLong(RoleUsage::calls).sum());
        }
    }

    private static MissionResult run(WireFormat wire, String model, MockLlmServer server, Path workspace,
            CrashingJournal journal) {
        if (wire == WireFormat.OPENAI) {
            try (OpenAiCompatible provider = OpenAiCompatible.builder().baseUrl(server.openAiBaseUrl())
                    .apiKey("sk-test").model(model).build()) {
                return run(provider, workspace, journal);
            }
        }
        try (Anthropic provider = Anthropic.builder().baseUrl(server.anthropicBaseUrl()).apiKey("sk-ant-test")
                .model(model).build()) {
            return run(provider, workspace, journal);
        }
    }

    private static MissionResult run(LlmProvider provider, Path workspace, CrashingJournal journal) {
        return Mission.builder().goal("write a.txt").workspace(workspace).provider(provider)
                .verifyWith("test -f a.txt").journal(journal).listener((event, progress) -> LAST.set(progress))
                .build().run();
    }

    /** The role of the agent that sent {@code request}, by the tools it offers: the roles' metadata stays home. */
    private static String role(RecordedRequest request) {
        List<String> tools = request.toolNames();
        return tools.contains("write_brief") ? Agent.COMMANDER : tools.contains("submit_plan") ? Agent.PLANNER
                : tools.contains("report_issues") ? Agent.REVIEWER : Agent.WORKER;
    }

    private static MockReply answer(String role, RecordedRequest request, Usage usage) {
        boolean firstTurn = true;
        for (JsonNode message : request.json().path("messages")) {
            firstTurn &= !"assistant".equals(message.path("role").asString());
        }
        Function<ChatRequest, ChatResponse> scripted = switch (role) {
            case Agent.COMMANDER -> brief("write a.txt");
            case Agent.PLANNER -> plan(todo("a", "write a.txt").writes("a.txt"));
            case Agent.REVIEWER -> issues();
            default -> firstTurn ? writeFile("a.txt", "A") : text("wrote a.txt");
        };
        ChatResponse r = scripted.apply(ANY);
        return MockReply.of(new ChatResponse(r.text(), r.toolCalls(), r.stopReason(), usage, r.model(),
                r.rateLimits()));
    }

    private static int indexOf(List<MissionEvent> events, String role) {
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i) instanceof MissionEvent.LlmCallCompleted c && c.role().equals(role)) {
                return i;
            }
        }
        throw new AssertionError("no call of " + role);
    }

    private static List<String> roles(MissionResult result) {
        return result.usageByRole().stream().map(RoleUsage::role).toList();
    }

    private static void assertSums(MissionResult result) {
        assertEquals(result.usage(), result.usageByRole().stream().map(RoleUsage::usage)
                .reduce(Usage.ZERO, Usage::plus), "the roles' usage sums to the mission's");
        BigDecimal dollars = result.usageByRole().stream().map(r -> r.dollars().orElseThrow())
                .reduce(BigDecimal.ZERO, BigDecimal::add);
        assertTrue(dollars.signum() > 0, dollars::toPlainString);
    }

    private static Usage times(Usage usage, long n) {
        Usage total = Usage.ZERO;
        for (long i = 0; i < n; i++) {
            total = total.plus(usage);
        }
        return total;
    }
}
