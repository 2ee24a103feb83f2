package dev.orchestrator.benchmarks;

import dev.langchain4j.agentic.AgenticServices;
import dev.langchain4j.agentic.UntypedAgent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The anchor's fan-out: LangChain4j's {@code parallelBuilder} with one sub-agent per worker, each making one call
 * to a fake model that waits in the simulated call. Sub-agents run on LangChain4j's default executor, virtual
 * threads on JDK 21+, as the mission's Workers do.
 */
final class LangChain4jFanOut implements FanOut {

    @Override
    public String framework() {
        return "LangChain4j";
    }

    @Override
    public Run prepare(int workers, SimulatedCall call) {
        FakeChatModel model = FakeChatModel.waitingIn(call);
        SubAgentWindow window = new SubAgentWindow(workers);
        List<EchoAgent> subAgents = new ArrayList<>(workers);
        for (int i = 1; i <= workers; i++) {
            // each sub-agent keeps its own result, as each todo does
            subAgents.add(AgenticServices.agentBuilder(EchoAgent.class)
                    .chatModel(model)
                    .outputKey("answer-" + i)
                    .listener(window)
                    .build());
        }
        UntypedAgent parallel = AgenticServices.parallelBuilder()
                .subAgents(subAgents)
                .build();
        return () -> {
            long start = System.nanoTime();
            parallel.invoke(Map.of("input", "Answer one call."));
            Duration whole = Duration.ofNanos(System.nanoTime() - start);
            if (model.callCount() != workers) {
                throw new IllegalStateException("expected " + workers + " model calls, saw " + model.callCount());
            }
            return window.timing(whole);
        };
    }
}
