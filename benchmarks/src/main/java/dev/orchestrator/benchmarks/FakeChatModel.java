package dev.orchestrator.benchmarks;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A LangChain4j chat model that answers with fixed text, the anchor's counterpart of the scripted provider: at
 * once, or after waiting in a simulated call.
 */
final class FakeChatModel implements ChatModel {

    private final Runnable latency;
    private final AtomicLong calls = new AtomicLong();

    private FakeChatModel(Runnable latency) {
        this.latency = latency;
    }

    /** A model that answers at once. */
    static FakeChatModel instant() {
        return new FakeChatModel(() -> {
        });
    }

    /** A model whose every answer waits in {@code call} first. */
    static FakeChatModel waitingIn(SimulatedCall call) {
        return new FakeChatModel(call::await);
    }

    @Override
    public ChatResponse doChat(ChatRequest request) {
        calls.incrementAndGet();
        latency.run();
        return ChatResponse.builder().aiMessage(AiMessage.from("done")).build();
    }

    /** How many calls it answered. */
    long callCount() {
        return calls.get();
    }
}
