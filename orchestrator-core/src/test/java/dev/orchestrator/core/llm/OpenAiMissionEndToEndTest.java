package dev.orchestrator.core.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.Mission;
import dev.orchestrator.api.MissionResult;
import dev.orchestrator.api.Usage;
import dev.orchestrator.core.internal.llm.JsonTrees;
import dev.orchestrator.test.Fixtures;
import dev.orchestrator.test.MockLlmServer;
import dev.orchestrator.test.RecordedRequest;
import dev.orchestrator.test.MockReply;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A whole mission on the real engine and agents, with {@link OpenAiCompatible} talking HTTP to a loopback server
 * that plays the model: Chat Completions answers shaped like the recorded ones, chosen by what each request offers
 * (its tools) and how far its conversation got, since the engine's metadata never reaches the wire.
 */
class OpenAiMissionEndToEndTest {

    /** Every answer reports this: 120 prompt tokens of which 20 cached, and 10 completion tokens. */
    static final Usage PER_CALL = new Usage(100, 10, 20, 0);

    @TempDir
    Path workspace;

    @Test
    void missionCompletesThroughTheOpenAiCompatibleProvider() throws IOException {
        AtomicInteger callIds = new AtomicInteger();
        try (MockLlmServer server = new MockLlmServer();
                OpenAiCompatible provider = OpenAiCompatible.builder().baseUrl(server.url("/v1"))
                        .apiKey("sk-e2e-secret").model("gpt-4o-mini").build()) {
            server.respondWith(request -> answer(request, "call_e2e_" + callIds.incrementAndGet()));

            MissionResult result = Mission.builder()
                    .goal("Create hello.txt that says hello")
                    .workspace(workspace)
                    .provider(provider)
                    .verifyWith("test -f hello.txt")
                    .build()
                    .run();

            assertEquals(MissionResult.Outcome.COMPLETED, result.outcome(), result.reason());
            assertEquals("hello\n", Files.readString(workspace.resolve("hello.txt")));
            List<RecordedRequest> requests = new ArrayList<>();
            for (int i = server.requestCount(); i > 0; i--) {
                requests.add(server.takeRequest());
            }
            assertEquals(multiply(PER_CALL, requests.size()), result.usage());
            for (RecordedRequest request : requests) {
                assertEquals("/v1/chat/completions", request.path());
                assertEquals("Bearer sk-e2e-secret", request.header("authorization").orElseThrow());
                assertFalse(request.body().contains("\"metadata\""), "metadata stays with the engine");
            }
            // the worker's invalid arguments went back verbatim, answered by an error result, then corrected
            JsonNode corrected = requests.stream().map(RecordedRequest::json)
                    .filter(body -> offers(body, "write_file") && assistantTurns(body) == 1).findFirst().orElseThrow()
                    .get("messages");
            JsonNode invalidCall = corrected.get(corrected.size() - 2);
            assertEquals("{\"path\": \"hello.txt\", \"content\": ",
                    invalidCall.at("/tool_calls/0/function/arguments").stringValue());
            JsonNode errorResult = corrected.get(corrected.size() - 1);
            assertEquals("tool", errorResult.get("role").stringValue());
            assertEquals(invalidCall.at("/tool_calls/0/id").stringValue(), errorResult.get("tool_call_id")
                    .stringValue());
            assertFalse(errorResult.get("content").stringValue().isBlank());
        }
    }

    /** What the model says to {@code request}, by the tools it offers and the turns it already took. */
    static MockReply answer(RecordedRequest request, String callId) {
        JsonNode body = request.json();
        if (offers(body, "write_brief")) {
            return toolCall(callId, "write_brief", "{\"brief\":\"One file, hello.txt, containing hello.\"}");
        }
        if (offers(body, "submit_plan")) {
            return toolCall(callId, "submit_plan", """
                    {"todos":[{"id":"todo-1","description":"Write hello.txt containing hello",\
                    "files":["hello.txt"]}]}""");
        }
        if (offers(body, "report_issues")) {
            return toolCall(callId, "report_issues", "{\"issues\":[]}");
        }
        return switch (assistantTurns(body)) {
            // cut-off arguments, as a model produces at its token limit
            case 0 -> toolCall(callId, "write_file", "{\"path\": \"hello.txt\", \"content\": ");
            case 1 -> toolCall(callId, "write_file", "{\"path\":\"hello.txt\",\"content\":\"hello\\n\"}");
            default -> text("I wrote hello.txt.");
        };
    }

    static boolean offers(JsonNode body, String tool) {
        for (JsonNode spec : body.path("tools")) {
            if (tool.equals(spec.at("/function/name").stringValue())) {
                return true;
            }
        }
        return false;
    }

    private static int assistantTurns(JsonNode body) {
        int turns = 0;
        for (JsonNode message : body.path("messages")) {
            turns += "assistant".equals(message.get("role").stringValue()) ? 1 : 0;
        }
        return turns;
    }

    /** A recorded non-streamed answer with its message replaced. */
    private static ObjectNode recorded() {
        ObjectNode body = (ObjectNode) JsonTrees.parse(
                Fixtures.text("openai/llm.test_tool_use_chain_of_two_calls.0.response.body.decoded"));
        ObjectNode usage = (ObjectNode) body.get("usage");
        usage.put("prompt_tokens", 120).put("completion_tokens", 10).put("total_tokens", 130);
        ((ObjectNode) usage.get("prompt_tokens_details")).put("cached_tokens", 20);
        return body;
    }

    static MockReply toolCall(String id, String name, String arguments) {
        ObjectNode body = recorded();
        ObjectNode call = (ObjectNode) body.at("/choices/0/message/tool_calls/0");
        call.put("id", id);
        ((ObjectNode) call.get("function")).put("name", name).put("arguments", arguments);
        return MockReply.json(200, JsonTrees.write(body));
    }

    private static MockReply text(String text) {
        ObjectNode body = recorded();
        ObjectNode message = (ObjectNode) body.at("/choices/0/message");
        message.remove("tool_calls");
        message.put("content", text);
        ((ObjectNode) body.at("/choices/0")).put("finish_reason", "stop");
        return MockReply.json(200, JsonTrees.write(body));
    }

    private static Usage multiply(Usage usage, int times) {
        Usage total = Usage.ZERO;
        for (int i = 0; i < times; i++) {
            total = total.plus(usage);
        }
        return total;
    }
}
