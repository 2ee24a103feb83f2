package dev.orchestrator.core.llm;

import static dev.orchestrator.core.llm.ScriptedReplies.brief;
import static dev.orchestrator.core.llm.ScriptedReplies.issues;
import static dev.orchestrator.core.llm.ScriptedReplies.plan;
import static dev.orchestrator.core.llm.ScriptedReplies.text;
import static dev.orchestrator.core.llm.ScriptedReplies.todo;
import static dev.orchestrator.core.llm.ScriptedReplies.writeFile;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.ChatRequest;
import dev.orchestrator.api.ChatResponse;
import dev.orchestrator.api.LlmException;
import dev.orchestrator.api.LlmProvider;
import dev.orchestrator.api.Message;
import dev.orchestrator.api.Mission;
import dev.orchestrator.api.MissionResult;
import dev.orchestrator.api.StopReason;
import dev.orchestrator.test.JournalDir;
import dev.orchestrator.test.MissionAssert;
import dev.orchestrator.test.MissionRecorder;
import dev.orchestrator.test.MockLlmExtension;
import dev.orchestrator.test.MockLlmServer;
import dev.orchestrator.test.MockReply;
import dev.orchestrator.test.RecordedRequest;
import dev.orchestrator.test.WorkspaceDir;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The test kit's answers and faults as the real providers read them, in both wire formats, streamed and not; and a
 * whole mission on the kit's server, extension and assertions, as a user's test would run one.
 */
@ExtendWith(MockLlmExtension.class)
class MockLlmServerProvidersTest {

    private final List<AutoCloseable> providers = new ArrayList<>();

    @AfterEach
    void closeProviders() throws Exception {
        for (AutoCloseable provider : providers) {
            provider.close();
        }
    }

    private LlmProvider provider(String wire, MockLlmServer server) {
        if (wire.equals("anthropic")) {
            Anthropic anthropic = Anthropic.builder().baseUrl(server.anthropicBaseUrl()).apiKey("sk-ant-test")
                    .model("m").build();
            providers.add(anthropic);
            return anthropic;
        }
        OpenAiCompatible openAi = OpenAiCompatible.builder().baseUrl(server.openAiBaseUrl()).apiKey("sk-test")
                .model("m").build();
        providers.add(openAi);
        return openAi;
    }

    private static ChatResponse ask(LlmProvider provider, boolean stream) {
        ChatRequest request = ChatRequest.builder().message(Message.user("go")).build();
        return stream ? provider.stream(request, new RecordingListener()) : provider.chat(request);
    }

    @ParameterizedTest
    @CsvSource({"openai,false", "openai,true", "anthropic,false", "anthropic,true"})
    void scriptedAnswersReadAsTheModelWroteThem(String wire, boolean stream, MockLlmServer server) {
        server.enqueue(MockReply.toolCall("write_file", "{\"path\":\"A.txt\",\"content\":\"a\"}"),
                MockReply.text("wrote A.txt"), MockReply.truncated("wrote A"));
        LlmProvider provider = provider(wire, server);

        ChatResponse call = ask(provider, stream);
        ChatResponse text = ask(provider, stream);
        ChatResponse cut = ask(provider, stream);

        assertEquals("write_file", call.toolCalls().getFirst().name());
        assertEquals("{\"path\":\"A.txt\",\"content\":\"a\"}", call.toolCalls().getFirst().arguments()
                .replace(" ", ""));
        assertEquals(StopReason.TOOL_USE, call.stopReason());
        assertEquals("wrote A.txt", text.text());
        assertEquals(StopReason.END_TURN, text.stopReason());
        assertTrue(text.usage().inputTokens() > 0 && text.usage().outputTokens() > 0, text.usage().toString());
        assertEquals(StopReason.MAX_TOKENS, cut.stopReason());
        assertEquals(stream, server.takeRequest().streaming());
    }

    @ParameterizedTest
    @CsvSource({"openai,false", "openai,true", "anthropic,false", "anthropic,true"})
    void faultsAreClassifiedAsTheProvidersOwn(String wire, boolean stream, MockLlmServer server) {
        server.enqueue(MockReply.rateLimited(Duration.ofSeconds(3)), MockReply.overloaded(),
                MockReply.contextLengthExceeded(4096), MockReply.serverError(500));
        LlmProvider provider = provider(wire, server);

        LlmException.RateLimited limited = assertThrows(LlmException.RateLimited.class, () -> ask(provider, stream));
        assertThrows(LlmException.Overloaded.class, () -> ask(provider, stream));
        assertThrows(LlmException.ContextLengthExceeded.class, () -> ask(provider, stream));
        assertThrows(LlmException.Transient.class, () -> ask(provider, stream));
        assertEquals(Duration.ofSeconds(3), limited.retryAfter().orElseThrow());
    }

    @ParameterizedTest
    @CsvSource({"openai,false", "openai,true", "anthropic,true"})
    void invalidToolJsonReachesTheCallerAsTheModelWroteIt(String wire, boolean stream, MockLlmServer server) {
        server.enqueue(MockReply.invalidToolJson("write_file"));

        ChatResponse response = ask(provider(wire, server), stream);

        assertEquals("write_file", response.toolCalls().getFirst().name());
        assertTrue(response.toolCalls().getFirst().arguments().startsWith("{\"path\": \"src/Main.java\""),
                response.toolCalls().toString());
        assertThrows(RuntimeException.class, () -> new tools.jackson.databind.ObjectMapper()
                .readTree(response.toolCalls().getFirst().arguments()), "the arguments are not valid JSON");
    }

    @ParameterizedTest
    @CsvSource({"openai", "anthropic"})
    void aCutStreamFailsTheCall(String wire, MockLlmServer server) {
        server.enqueue(MockReply.text("an answer long enough to be cut in the middle").cutAfter(120));

        assertThrows(LlmException.class, () -> ask(provider(wire, server), true));
    }

    @Test
    void aMissionOnTheKitCompletesAndSaysWhatItCalled(MockLlmServer server, @WorkspaceDir Path workspace,
            @JournalDir Path journal) throws Exception {
        server.respondWith(MockLlmServerProvidersTest::twoTodoTeam);
        MissionRecorder recorder = new MissionRecorder();

        MissionResult result;
        try (OpenAiCompatible provider = OpenAiCompatible.builder().baseUrl(server.openAiBaseUrl())
                .apiKey("sk-test").model("m").build()) {
            result = Mission.builder().goal("write a and b").workspace(workspace).provider(provider)
                    .journal(journal).verifyWith("test -f a.txt -a -f b.txt").listener(recorder)
                    .build().run();
        }

        // a brief, a plan, two calls for each Worker, a review
        MissionAssert.assertThat(result, recorder).completed().todosDone(2).noOpenIssues().madeCalls(7)
                .madeCalls("worker", 4).ranTool("write_file");
        assertEquals("a", Files.readString(workspace.resolve("a.txt")));
        assertEquals(7, server.receivedRequests().size());
        assertThrows(AssertionError.class, () -> MissionAssert.assertThat(result, recorder).madeCalls(6));
    }

    /** Each agent's step of a mission of two todos, whose Workers write their todo's file: typed, no JSON. */
    private static MockReply twoTodoTeam(RecordedRequest request) {
        List<String> tools = request.toolNames();
        boolean toolRan = request.body().contains("\"role\":\"tool\"");
        String file = request.body().contains("write file a") ? "a" : "b";
        return MockReply.of(tools.contains("write_brief") ? brief("Two files.")
                : tools.contains("submit_plan") ? plan(todo("a", "write file a"), todo("b", "write file b"))
                : tools.contains("report_issues") ? issues()
                : toolRan ? text("done")
                : writeFile(file + ".txt", file));
    }
}
