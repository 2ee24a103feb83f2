package dev.orchestrator.temporal;

import dev.orchestrator.api.ChatRequest;
import dev.orchestrator.api.ChatResponse;
import dev.orchestrator.api.LlmException;
import dev.orchestrator.api.LlmProvider;
import dev.orchestrator.core.llm.ScriptedProvider;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;

/** What the tests need to lose a machine mid-mission: a call that holds until the machine stops, and a record. */
final class LostMachine {

    private LostMachine() {
    }

    /** {@return a reply that opens {@code held} and waits until its machine is stopped (its thread interrupted)} */
    static Function<ChatRequest, ChatResponse> holdsUntilStopped(CountDownLatch held) {
        return request -> {
            held.countDown();
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new LlmException.Transient("the machine went away", 0, null);
        };
    }

    /** A provider that notes the calls it was asked and answered (by task and turn), as a machine's own record. */
    record CountingProvider(ScriptedProvider script, List<String> asked, List<String> answered)
            implements LlmProvider {

        CountingProvider(ScriptedProvider script) {
            this(script, new CopyOnWriteArrayList<>(), new CopyOnWriteArrayList<>());
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
}
