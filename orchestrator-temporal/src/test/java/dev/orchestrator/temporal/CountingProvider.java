package dev.orchestrator.temporal;

import dev.orchestrator.api.ChatRequest;
import dev.orchestrator.api.ChatResponse;
import dev.orchestrator.api.LlmProvider;
import dev.orchestrator.core.llm.ScriptedProvider;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A scripted provider that keeps the requests it was sent and counts the calls it did not answer: those in flight
 * when its machine was lost.
 */
record CountingProvider(ScriptedProvider script, AtomicInteger asked, AtomicInteger answered,
        List<ChatRequest> requests) implements LlmProvider {

    CountingProvider(ScriptedProvider script) {
        this(script, new AtomicInteger(), new AtomicInteger(), new CopyOnWriteArrayList<>());
    }

    @Override
    public String name() {
        return script.name();
    }

    @Override
    public String defaultModel() {
        return script.defaultModel();
    }

    @Override
    public ChatResponse chat(ChatRequest request) {
        requests.add(request);
        asked.incrementAndGet();
        ChatResponse response = script.chat(request);
        answered.incrementAndGet();
        return response;
    }

    int unanswered() {
        return asked.get() - answered.get();
    }
}
