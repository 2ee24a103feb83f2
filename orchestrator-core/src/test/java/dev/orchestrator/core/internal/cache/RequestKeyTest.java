package dev.orchestrator.core.internal.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.orchestrator.api.ChatRequest;
import dev.orchestrator.api.Message;
import dev.orchestrator.api.ToolCall;
import dev.orchestrator.api.ToolSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The canonical request hash, whole and one conversation at a time. */
class RequestKeyTest {

    private static final List<ToolSpec> TOOLS = List.of(new ToolSpec("read_file", "Reads a file.",
            "{\"type\":\"object\"}"));

    private static ChatRequest request(List<Message> messages) {
        return ChatRequest.builder().system("You are a Worker.").messages(messages).tools(TOOLS).build();
    }

    @Test
    void aConversationsHasherKeysEachCallAsAFreshHashDoes() {
        RequestKey.Hasher hasher = new RequestKey.Hasher();
        List<Message> messages = new ArrayList<>(List.of(Message.user("Todo 1")));
        for (int turn = 0; turn < 20; turn++) {
            ChatRequest request = request(messages);
            assertEquals(RequestKey.of(request, "m"), hasher.key(request, "m"), "turn " + turn);
            messages.add(new Message.Assistant("", List.of(new ToolCall("c" + turn, "read_file", "{}"))));
            messages.add(new Message.ToolResult("c" + turn, "read_file", "text " + turn, false));
        }
        // compaction replaces the older turns: the hasher must not reuse their digests
        List<Message> compacted = new ArrayList<>(List.of(Message.user("Todo 1"), Message.user("summary")));
        compacted.addAll(messages.subList(30, messages.size()));
        assertEquals(RequestKey.of(request(compacted), "m"), hasher.key(request(compacted), "m"));
        // equal messages that are other instances
        List<Message> copies = messages.stream().map(m -> m instanceof Message.User u
                ? (Message) Message.user(new String(u.text())) : m).toList();
        assertEquals(RequestKey.of(request(copies), "m"), hasher.key(request(copies), "m"));
    }

    @Test
    void hashersThatShareWhatTheyHashedKeyEveryRequestAsAFreshHashDoesEvenBeyondWhatIsKept() {
        RequestKey.Shared shared = new RequestKey.Shared();
        List<ToolSpec> otherTools = List.of(new ToolSpec("write_file", "Writes a file.", "{\"type\":\"object\"}"));
        // more system prompts and tool lists than the shared part keeps, each asked for twice, by new hashers
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < 2 * RequestKey.Shared.MOST_KEPT; i++) {
                List<ToolSpec> tools = i % 3 == 0 ? otherTools : List.of(new ToolSpec("t" + i, "d", "{}"));
                ChatRequest request = ChatRequest.builder().system("You are agent " + i + ".")
                        .messages(List.of(Message.user("Todo " + i))).tools(tools).build();
                String model = i % 2 == 0 ? "m" : "n";
                assertEquals(RequestKey.of(request, model), new RequestKey.Hasher(shared).key(request, model),
                        "request " + i + " in round " + round);
            }
        }
        // a system prompt equal to a kept one, as another instance, keys the same
        ChatRequest copy = ChatRequest.builder().system(new String("You are agent 2.")).messages(List.of(
                Message.user("Todo 2"))).tools(otherTools).build();
        assertNotEquals(RequestKey.of(copy, "m"), RequestKey.of(copy, "n"));
        assertEquals(RequestKey.of(copy, "m"), new RequestKey.Hasher(shared).key(copy, "m"));
    }

    @Test
    void everyPartOfTheRequestChangesTheKey() {
        List<Message> messages = List.of(Message.user("ab"), Message.user("c"));
        RequestKey key = RequestKey.of(request(messages), "m");
        assertNotEquals(key, RequestKey.of(request(List.of(Message.user("a"), Message.user("bc"))), "m"));
        assertNotEquals(key, RequestKey.of(request(messages.reversed()), "m"));
        assertNotEquals(key, RequestKey.of(request(messages), "other model"));
        assertNotEquals(key, RequestKey.of(request(messages).toBuilder().tools(List.of()).build(), "m"));
        assertNotEquals(key, RequestKey.of(request(messages).toBuilder().system("").build(), "m"));
        assertNotEquals(key, RequestKey.of(request(messages).toBuilder().temperature(0.5).build(), "m"));
        assertEquals(key, RequestKey.of(request(messages).toBuilder().metadata(ChatRequest.TASK, "t").build(), "m"),
                "metadata is not part of the request");
    }

    @Test
    void theKeyIsTheSameInEveryJvm() {
        // the journal keeps it and a resumed mission compares it: changing the canonical form breaks resumes. The
        // value is the documented form computed apart from this code (Python's hashlib, same fields and prefixes)
        assertEquals("a68c3ba3b4be3abcaa2c24828bf37d06ee014ed325d932975e65b496509cf738",
                RequestKey.of(request(List.of(Message.user("Todo 1"))), "gpt-4o").hex());
        // every kind of message, a tool error, an output limit and a temperature (the same Python)
        ChatRequest conversation = request(List.of(Message.user("Todo 1"),
                new Message.Assistant("Reading it.", List.of(new ToolCall("c1", "read_file", "{\"path\":\"a.txt\"}"))),
                new Message.ToolResult("c1", "read_file", "no such file", true),
                new Message.Assistant("", List.of(new ToolCall("c2", "read_file", "{\"path\":\"b.txt\"}"))),
                new Message.ToolResult("c2", "read_file", "text of b", false)))
                .toBuilder().maxOutputTokens(1000).temperature(0.5).build();
        assertEquals("e1253320464b49672c6568ae466ff8bc8a804ee076003a613f6c19c55e37fc9f",
                RequestKey.of(conversation, "gpt-4o").hex());
    }

    @Test
    void hashersThatShareSpareDigestsAcrossThreadsKeyEveryRequestAsAFreshHashDoes() throws Exception {
        // more threads than spare digests, each key taking one and giving it back while the others do
        RequestKey.Shared shared = new RequestKey.Shared();
        List<Callable<Void>> conversations = new ArrayList<>();
        for (int t = 0; t < 32; t++) {
            int thread = t;
            conversations.add(() -> {
                for (int i = 0; i < 200; i++) {
                    ChatRequest request = request(List.of(Message.user("Todo " + thread + "." + i),
                            Message.user("and " + i)));
                    assertEquals(RequestKey.of(request, "m"), new RequestKey.Hasher(shared).key(request, "m"),
                            "request " + i + " of thread " + thread);
                }
                return null;
            });
        }
        try (ExecutorService threads = Executors.newFixedThreadPool(32)) {
            for (Future<Void> done : threads.invokeAll(conversations)) {
                done.get();
            }
        }
    }
}
