package dev.orchestrator.core.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.Mission;
import dev.orchestrator.api.MissionResult;
import dev.orchestrator.core.internal.llm.JsonTrees;
import dev.orchestrator.core.llm.LoopbackServer.Recorded;
import dev.orchestrator.core.llm.LoopbackServer.Reply;
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
 * Every role's requests, as the OpenAI-compatible provider puts them on the wire, keep a byte-identical prefix
 * (model, system prompt, and within one conversation every earlier message) and the same tools in the same order,
 * so that a provider's prompt cache can serve the prefix of each call.
 */
class PromptLayoutTest {

    @TempDir
    Path workspace;

    @Test
    void eachRolesRequestsShareAByteIdenticalPrefix() {
        AtomicInteger callIds = new AtomicInteger();
        List<Recorded> requests = new ArrayList<>();
        try (LoopbackServer server = new LoopbackServer();
                OpenAiCompatible provider = OpenAiCompatible.builder().baseUrl(server.url("/v1"))
                        .apiKey("sk-layout").model("gpt-4o-mini").build()) {
            server.respondWith(request -> twoTodos(request, "call_" + callIds.incrementAndGet()));
            MissionResult result = Mission.builder().goal("Create hello.txt that says hello").workspace(workspace)
                    .provider(provider).verifyWith("test -f hello.txt").maxParallelWorkers(1).build().run();
            assertEquals(MissionResult.Outcome.COMPLETED, result.outcome(), result.reason());
            for (int i = server.requestCount(); i > 0; i--) {
                requests.add(server.takeRequest());
            }
        }

        // the system prompt tells the roles apart: the engine's metadata never reaches the wire
        Map<String, List<Recorded>> byRole = new LinkedHashMap<>();
        for (Recorded request : requests) {
            byRole.computeIfAbsent(request.json().at("/messages/0/content").stringValue(),
                    role -> new ArrayList<>()).add(request);
        }
        int compared = 0;
        for (List<Recorded> calls : byRole.values()) {
            for (int i = 1; i < calls.size(); i++) {
                Recorded earlier = calls.get(i - 1);
                Recorded later = calls.get(i);
                assertEquals(withoutMessages(earlier.json()), withoutMessages(later.json()),
                        "tools and parameters are the same for every call of a role");
                ArrayNode before = (ArrayNode) earlier.json().get("messages");
                ArrayNode after = (ArrayNode) later.json().get("messages");
                boolean sameConversation = after.size() > before.size()
                        && JsonTrees.write(after).startsWith(JsonTrees.write(before).replaceAll("]$", ""));
                // within a conversation every earlier message; across tasks at least the system prompt
                String prefix = prefixThrough(earlier, sameConversation ? before.size() : 1);
                assertTrue(later.body().startsWith(prefix), "the later call repeats the earlier's prefix byte for "
                        + "byte:\n" + prefix + "\n" + later.body());
                compared++;
            }
        }
        assertTrue(byRole.values().stream().anyMatch(calls -> calls.size() >= 3), "a role made several calls");
        assertTrue(compared >= 3, "several pairs were compared: " + compared);
    }

    /** The raw body of {@code request} up to the end of its first {@code messages} messages. */
    private static String prefixThrough(Recorded request, int messages) {
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

    /** The end-to-end test's model, with a plan of two todos so that the Worker role has two conversations. */
    private static Reply twoTodos(Recorded request, String callId) {
        if (OpenAiMissionEndToEndTest.offers(request.json(), "submit_plan")) {
            return OpenAiMissionEndToEndTest.toolCall(callId, "submit_plan", """
                    {"todos":[{"id":"todo-1","description":"Write hello.txt containing hello",\
                    "files":["hello.txt"]},{"id":"todo-2","description":"Check hello.txt says hello",\
                    "files":["hello.txt"],"depends_on":["todo-1"]}]}""");
        }
        return OpenAiMissionEndToEndTest.answer(request, callId);
    }
}
