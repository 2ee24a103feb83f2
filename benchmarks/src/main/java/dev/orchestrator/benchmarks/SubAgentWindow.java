package dev.orchestrator.benchmarks;

import dev.langchain4j.agentic.observability.AgentListener;
import dev.langchain4j.agentic.observability.AgentRequest;
import dev.langchain4j.agentic.observability.AgentResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Times LangChain4j's work phase the way {@link DispatchWindow} times a mission's: from the first sub-agent
 * invoked to the last one done.
 */
final class SubAgentWindow implements AgentListener {

    private final AtomicLong firstStart = new AtomicLong();
    private final LastFinish lastEnd;

    /** A window over {@code workers} sub-agents. */
    SubAgentWindow(int workers) {
        this.lastEnd = new LastFinish(workers);
    }

    @Override
    public void beforeAgentInvocation(AgentRequest request) {
        firstStart.compareAndSet(0, System.nanoTime());
    }

    @Override
    public void afterAgentInvocation(AgentResponse response) {
        lastEnd.finished();
    }

    /** The window as a timing of {@code whole}; valid once every agent has finished. */
    FanOut.Timing timing(Duration whole) {
        if (firstStart.get() == 0 || lastEnd.nanos() == 0) {
            throw new IllegalStateException("no agent was dispatched or none finished");
        }
        return new FanOut.Timing(firstStart.get(), lastEnd.nanos(), lastEnd.cpuNanos(), whole);
    }
}
