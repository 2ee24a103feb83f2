package dev.orchestrator.core.internal.engine;

import static dev.orchestrator.core.internal.engine.Scripts.brief;
import static dev.orchestrator.core.internal.engine.Scripts.noIssues;
import static dev.orchestrator.core.llm.ScriptedProvider.text;
import static dev.orchestrator.core.llm.ScriptedProvider.toolCall;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.Agent;
import dev.orchestrator.api.ChatRequest;
import dev.orchestrator.api.ChatResponse;
import dev.orchestrator.api.LlmException;
import dev.orchestrator.api.LlmProvider;
import dev.orchestrator.api.Mission;
import dev.orchestrator.api.MissionEvent;
import dev.orchestrator.api.MissionResult;
import dev.orchestrator.api.RateLimits;
import dev.orchestrator.core.llm.ScriptedProvider;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MissionResilienceTest {

    @TempDir
    Path workspace;

    /** A provider with a quota of its own, which answers its first worker call with a 429 and a retry-after. */
    private static final class RateLimitedOnce implements LlmProvider {
        private final ScriptedProvider script;
        private final String quota = UUID.randomUUID().toString();
        private final AtomicInteger workerCalls = new AtomicInteger();
        final AtomicInteger calls = new AtomicInteger();

        RateLimitedOnce(ScriptedProvider script) {
            this.script = script;
        }

        @Override
        public String name() {
            return "rate-limited-once";
        }

        @Override
        public String defaultModel() {
            return "m";
        }

        @Override
        public Optional<String> quotaId() {
            return Optional.of(quota);
        }

        @Override
        public ChatResponse chat(ChatRequest request) {
            calls.incrementAndGet();
            if (request.metadata(ChatRequest.ROLE).filter(Agent.WORKER::equals).isPresent()
                    && workerCalls.getAndIncrement() == 0) {
                // long enough to be still on when the limiter tells of it, even on a loaded machine: a pause told
                // after its end is no wait and makes no event
                throw new LlmException.RateLimited("429 rate limit reached", Optional.of(Duration.ofSeconds(1)),
                        RateLimits.UNKNOWN);
            }
            return script.chat(request);
        }
    }

    @Test
    void aRateLimitedCallIsRetriedThroughTheLimiterAndTheMissionSeesItAsEvents() {
        RateLimitedOnce provider = new RateLimitedOnce(ScriptedProvider.builder()
                .onTask(Agent.COMMANDER, "triage", brief())
                .onTask(Agent.PLANNER, "plan", toolCall("submit_plan", "{\"todos\":[{\"id\":\"t\",\"description\":\"x\"}]}"))
                .onTask(Agent.WORKER, "t#1", text("done"))
                .onTask(Agent.REVIEWER, "review-1", noIssues())
                .build());
        List<MissionEvent> events = Collections.synchronizedList(new ArrayList<>());

        MissionResult result = Mission.builder().goal("x").workspace(workspace).provider(provider).verifyWith("true")
                .listener((event, progress) -> events.add(event)).build().run();

        assertEquals(MissionResult.Outcome.COMPLETED, result.outcome(), result.reason());
        assertEquals(5, provider.calls.get());
        MissionEvent.CallRetried retried = events.stream().filter(MissionEvent.CallRetried.class::isInstance)
                .map(MissionEvent.CallRetried.class::cast).findFirst().orElseThrow();
        assertEquals("t#1", retried.taskId());
        assertEquals(1, retried.attempt());
        assertTrue(retried.error().startsWith("RateLimited"), retried.error());
        MissionEvent.CallsPaused paused = events.stream()
                .filter(MissionEvent.CallsPaused.class::isInstance).map(MissionEvent.CallsPaused.class::cast)
                .filter(e -> e.cause().equals("RETRY_AFTER")).findFirst().orElseThrow();
        assertTrue(paused.until().isAfter(paused.at()), paused::toString);
        assertTrue(paused.limiter().startsWith("rate-limited-once/m"), paused.limiter());
        assertTrue(events.getLast() instanceof MissionEvent.MissionFinished, "nothing may follow the last event");
    }

    @Test
    void anAuthenticationFailureIsNotRetried() {
        AtomicInteger calls = new AtomicInteger();
        LlmProvider refusing = new LlmProvider() {
            @Override
            public String name() {
                return "refusing";
            }

            @Override
            public String defaultModel() {
                return "m";
            }

            @Override
            public ChatResponse chat(ChatRequest request) {
                calls.incrementAndGet();
                throw new LlmException.AuthenticationFailed("invalid API key: set OPENAI_API_KEY", 401);
            }
        };

        MissionResult result = Mission.builder().goal("x").workspace(workspace).provider(refusing).verifyWith("true")
                .build().run();

        assertEquals(MissionResult.Outcome.FAILED, result.outcome());
        assertEquals(1, calls.get());
        assertTrue(result.reason().contains("OPENAI_API_KEY"), result.reason());
    }
}
