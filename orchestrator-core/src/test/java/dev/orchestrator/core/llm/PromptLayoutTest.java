package dev.orchestrator.core.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.LlmProvider;
import dev.orchestrator.api.Mission;
import dev.orchestrator.api.MissionResult;
import dev.orchestrator.core.internal.llm.JsonTrees;
import dev.orchestrator.test.MockLlmServer;
import dev.orchestrator.test.RecordedRequest;
import dev.orchestrator.test.MockReply;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Every role's requests, as the OpenAI-compatible and the Anthropic provider put them on the wire, keep a
 * byte-identical prefix (model, system prompt, and within one conversation every earlier message) and the same tools
 * in the same order, so that a provider's prompt cache can serve the prefix of each call.
 */
class PromptLayoutTest {

    @TempDir
    Path workspace;

    @Test
    void eachRolesOpenAiRequestsShareAByteIdenticalPrefix() {
        AtomicInteger callIds = new AtomicInteger();
        try (MockLlmServer server = new MockLlmServer();
                OpenAiCompatible provider = OpenAiCompatible.builder().baseUrl(server.url("/v1"))
                        .apiKey("sk-layout").model("gpt-4o-mini").build()) {
            server.respondWith(request -> twoTodos(request, "call_" + callIds.incrementAndGet()));
            // the system prompt is the first message
            assertStablePrefixes(run(server, provider), "/messages/0/content", 1);
        }
    }

    @Test
    void eachRolesAnthropicRequestsShareAByteIdenticalPrefix() {
        AtomicInteger callIds = new AtomicInteger();
        try (MockLlmServer server = new MockLlmServer();
                Anthropic provider = Anthropic.builder().baseUrl(server.url("")).apiKey("sk-ant-layout").build()) {
            server.respondWith(request -> anthropicAnswer(request, "toolu_" + callIds.incrementAndGet()));
            // the system prompt comes before the messages
            assertStablePrefixes(run(server, provider), "/system/0/text", 0);
        }
    }

    private List<RecordedRequest> run(MockLlmServer server, LlmProvider provider) {
        MissionResult result = Mission.builder().goal("Create hello.txt that says hello").workspace(workspace)
                .provider(provider).verifyWith("test -f hello.txt").maxParallelWorkers(1).build().run();
        assertEquals(MissionResult.Outcome.COMPLETED, result.outcome(), result.reason());
        List<RecordedRequest> requests = new ArrayList<>();
        for (int i = server.requestCount(); i > 0; i--) {
            requests.add(server.takeRequest());
        }
        return requests;
    }

    /**
     * Consecutive calls of each role (told apart by the system prompt at {@code systemAt}: the engine's metadata
     * never reaches the wire) repeat the earlier body byte for byte up to its last message when they continue its
     * conversation, and up to the first {@code sharedMessages} messages when they start another.
     */
    private static void assertStablePrefixes(List<RecordedRequest> requests, String systemAt, int sharedMessages) {
        Map<String, List<RecordedRequest>> byRole = new LinkedHashMap<>();
        for (RecordedRequest request : requests) {
            byRole.computeIfAbsent(request.json().at(systemAt).stringValue(), role -> new ArrayList<>()).add(request);
        }
        int compared = 0;
        for (List<RecordedRequest> calls : byRole.values()) {
            for (int i = 1; i < calls.size(); i++) {
                RecordedRequest earlier = calls.get(i - 1);
                RecordedRequest later = calls.get(i);
                assertEquals(withoutMessages(earlier.json()), withoutMessages(later.json()),
                        "tools, system prompt and parameters are the same for every call of a role");
                ArrayNode before = (ArrayNode) earlier.json().get("messages");
                ArrayNode after = (ArrayNode) later.json().get("messages");
                boolean sameConversation = after.size() > before.size()
                        && JsonTrees.write(after).startsWith(JsonTrees.write(before).replaceAll("]$", ""));
                String prefix = prefixThrough(earlier, sameConversation ? before.size() : sharedMessages);
                assertTrue(later.body().startsWith(prefix), "the later call repeats the earlier's prefix byte for "
                        + "byte:\n" + prefix + "\n" + later.body());
                compared++;
            }
        }
        assertTrue(byRole.values().stream().anyMatch(calls -> calls.size() >= 3), "a role made several calls");
        assertTrue(compared >= 3, "several pairs were compared: " + compared);
    }

    /** The raw body of {@code request} up to the end of its first {@code messages} messages. */
    private static String prefixThrough(RecordedRequest request, int messages) {
        ObjectNode body = (ObjectNode) request.json();
        ObjectNode prefix = JsonTrees.object();
        for (var field : body.properties()) {
            if (field.getKey().equals("messages")) {
                ArrayNode kept = prefix.putArray("messages");
                for (int i = 0; i < messages; i++) {
                    kept.add(field.getValue().get(i));
                }
                break;
            }
            prefix.set(field.getKey(), field.getValue());
        }
        String written = JsonTrees.write(prefix);
        String open = written.substring(0, written.length() - "]}".length());
        assertTrue(request.body().startsWith(open), "the prefix is rebuilt as the provider wrote it:\n" + open);
        return open;
    }

    private static JsonNode withoutMessages(JsonNode body) {
        ObjectNode copy = ((ObjectNode) body).deepCopy();
        copy.remove("messages");
        return copy;
    }

    /** The same model on Anthropic's wire: a brief, two todos, a Worker that writes the file, no issues. */
    private static MockReply anthropicAnswer(RecordedRequest request, String callId) {
        JsonNode body = request.json();
        List<String> offered = new ArrayList<>();
        body.path("tools").forEach(tool -> offered.add(tool.get("name").stringValue()));
        int turns = 0;
        for (JsonNode message : body.path("messages")) {
            turns += "assistant".equals(message.get("role").stringValue()) ? 1 : 0;
        }
        if (offered.contains("write_brief")) {
            return anthropicToolUse(callId, "write_brief", "{\"brief\":\"One file, hello.txt, containing hello.\"}");
        }
        if (offered.contains("submit_plan")) {
            return anthropicToolUse(callId, "submit_plan", """
                    {"todos":[{"id":"todo-1","description":"Write hello.txt containing hello",\
                    "files":["hello.txt"]},{"id":"todo-2","description":"Check hello.txt says hello",\
                    "files":["hello.txt"],"depends_on":["todo-1"]}]}""");
        }
        if (offered.contains("report_issues")) {
            return anthropicToolUse(callId, "report_issues", "{\"issues\":[]}");
        }
        return switch (turns) {
            case 0 -> anthropicToolUse(callId, "read_file", "{\"path\":\"hello.txt\"}");
            case 1 -> anthropicToolUse(callId, "write_file", "{\"path\":\"hello.txt\",\"content\":\"hello\\n\"}");
            default -> MockReply.json(200, """
                    {"id":"msg_1","type":"message","role":"assistant","model":"claude-layout",
                     "content":[{"type":"text","text":"Done."}],"stop_reason":"end_turn",
                     "usage":{"input_tokens":100,"output_tokens":10}}""");
        };
    }

    private static MockReply anthropicToolUse(String id, String name, String input) {
        return MockReply.json(200, """
                {"id":"msg_1","type":"message","role":"assistant","model":"claude-layout",
                 "content":[{"type":"tool_use","id":"%s","name":"%s","input":%s}],"stop_reason":"tool_use",
                 "usage":{"input_tokens":100,"output_tokens":10}}""".formatted(id, name, input));
    }

    /** The end-to-end test's model, with a plan of two todos so that the Worker role has two conversations. */
    private static MockReply twoTodos(RecordedRequest request, String callId) {
        if (OpenAiMissionEndToEndTest.offers(request.json(), "submit_plan")) {
            return OpenAiMissionEndToEndTest.toolCall(callId, "submit_plan", """
                    {"todos":[{"id":"todo-1","description":"Write hello.txt containing hello",\
                    "files":["hello.txt"]},{"id":"todo-2","description":"Check hello.txt says hello",\
                    "files":["hello.txt"],"depends_on":["todo-1"]}]}""");
        }
        return OpenAiMissionEndToEndTest.answer(request, callId);
    }
}
