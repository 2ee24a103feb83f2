package dev.orchestrator.temporal;

import dev.orchestrator.api.ChatRequest;
import dev.orchestrator.api.ChatResponse;
import dev.orchestrator.api.LlmProvider;
import dev.orchestrator.core.llm.ScriptedProvider;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A scripted provider that keeps the requests it was sent and notes the calls it was asked and answered (by task and
 * turn), as a machine's own record: those asked and not answered were in flight when its machine was lost.
 */
record CountingProvider(ScriptedProvider script, List<ChatRequest> requests, List<String> asked,
        List<String> answered) implements LlmProvider {

    CountingProvider(ScriptedProvider script) {
        this(script, new CopyOnWriteArrayList<>(), new CopyOnWriteArrayList<>(), new CopyOnWriteArrayList<>());
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
        String call = request.metadata(ChatRequest.TASK).orElse("?") + " turn " + ScriptedProvider.turnOf(request);
        asked.add(call);
        ChatResponse response = script.chat(request);
        answered.add(call);
        return response;
    }

    /** {@return the calls in flight: asked, not answered} */
    int unanswered() {
        return asked.size() - answered.size();
    }
}
