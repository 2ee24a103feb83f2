package dev.orchestrator.core.internal.agents;

import static dev.orchestrator.core.llm.ScriptedProvider.text;
import static dev.orchestrator.core.llm.ScriptedProvider.toolCall;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.AgentResult;
import dev.orchestrator.api.ChatRequest;
import dev.orchestrator.api.LlmException;
import dev.orchestrator.api.Message;
import dev.orchestrator.api.Task;
import dev.orchestrator.api.Todo;
import dev.orchestrator.core.internal.context.ContextWindows;
import dev.orchestrator.core.llm.ScriptedProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A context-length error compacts the conversation and sends it once more; what cannot be helped says why. */
class ContextLengthErrorTest {

    private static final Task.Work WORK = new Task.Work("goal", Todo.of("t", "do it", List.of(), List.of()), 1);
    private static final LlmException TOO_LONG = new LlmException.ContextLengthExceeded(
            "This model's maximum context length is 16385 tokens", 400);

    private final List<ChatRequest> sent = new ArrayList<>();

    private static boolean isSummary(ChatRequest request) {
        return request.system().startsWith("You keep the memory");
    }

    private AgentResult work(ScriptedProvider provider) {
        return new Worker(10, ContextWindows.UNKNOWN).act(WORK,
                ScriptedContext.withReadFile(provider, sent, "worker", "t#1"));
    }

    @Test
    void aConversationTooLongFromItsFirstMessageFailsSayingWhatToDo() {
        ScriptedProvider provider = ScriptedProvider.builder().on(request -> true, request -> {
            throw TOO_LONG;
        }).build();

        LlmException thrown = assertThrows(LlmException.ContextLengthExceeded.class, () -> work(provider));

        assertTrue(thrown.getMessage().contains("nothing old enough to summarise"), thrown.getMessage());
        assertEquals(1, sent.size());
    }

    @Test
    void aContextLengthErrorIsCompactedAndSentOnceMore() {
        AtomicInteger errors = new AtomicInteger();
        AtomicInteger steps = new AtomicInteger();
        ScriptedProvider provider = ScriptedProvider.builder()
                .on(ContextLengthErrorTest::isSummary, text("read a.txt and b.txt"))
                .on(request -> request.messages().size() == 5 && errors.getAndIncrement() == 0, request -> {
                    throw TOO_LONG;
                })
                .on(request -> true, request -> switch (steps.getAndIncrement()) {
                    case 0 -> toolCall("read_file", "{\"path\":\"a.txt\"}").apply(request);
                    case 1 -> toolCall("read_file", "{\"path\":\"b.txt\"}").apply(request);
                    default -> text("done").apply(request);
                })
                .build();

        AgentResult result = work(provider);

        assertEquals(new AgentResult.Done("done"), result);
        assertEquals(4, sent.stream().filter(r -> !isSummary(r)).count(), "three turns, the third sent twice");
        assertEquals(1, sent.stream().filter(ContextLengthErrorTest::isSummary).count());
        ChatRequest retried = sent.get(sent.size() - 1);
        assertEquals(3, retried.messages().size(), "the task with the summary, then the last turn");
        assertTrue(((Message.User) retried.messages().getFirst()).text().contains("read a.txt and b.txt"));
    }

    @Test
    void aConversationStillTooLongAfterCompactionFailsSayingSo() {
        ScriptedProvider provider = ScriptedProvider.builder()
                .on(ContextLengthErrorTest::isSummary, text("read a.txt and b.txt"))
                .on(request -> request.messages().size() >= 5 || request.messages().getFirst().toString()
                        .contains("read a.txt and b.txt"), request -> {
                    throw TOO_LONG;
                })
                .onTask("worker", "t#1", toolCall("read_file", "{\"path\":\"a.txt\"}"),
                        toolCall("read_file", "{\"path\":\"b.txt\"}"))
                .build();

        LlmException thrown = assertThrows(LlmException.ContextLengthExceeded.class, () -> work(provider));

        assertTrue(thrown.getMessage().contains("still too long after the conversation was compacted"),
                thrown.getMessage());
    }
}
