package dev.orchestrator.core.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.ChatRequest;
import dev.orchestrator.api.ChatResponse;
import dev.orchestrator.api.LlmException;
import dev.orchestrator.api.Message;
import dev.orchestrator.core.internal.limit.AimdLimiter;
import dev.orchestrator.core.internal.limit.LimiterKey;
import dev.orchestrator.core.internal.limit.LimiterRegistry;
import dev.orchestrator.core.internal.limit.LimiterSettings;
import dev.orchestrator.core.internal.limit.SendCounts;
import dev.orchestrator.core.internal.retry.RetryPolicy;
import dev.orchestrator.core.internal.retry.RetryRules;
import dev.orchestrator.core.internal.retry.RetryingProvider;
import dev.orchestrator.test.MockLlmServer;
import dev.orchestrator.test.MockReply;
import dev.orchestrator.test.RecordedRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Many callers through the OpenAI-compatible provider and the retry layer, against a real loopback server that
 * enforces a request bucket the way free-tier keys meet one: refusals with a whole-second retry-after and no other
 * rate-limit header, so that the pacer has only the refusals to learn from.
 */
class RateLimitedProviderTest {

    private static final ChatRequest REQUEST = ChatRequest.builder().message(new Message.User("hello"))
            .metadata(ChatRequest.ROLE, "worker").build();
    /** Requests already on their way when a 429 went out may land a little after it. */
    private static final long IN_FLIGHT_SLACK_NANOS = 250_000_000L;

    /** Arrivals inside a pause a refusal asked for, past the slack for requests already on their way. */
    private static long arrivalsInPauses(MockLlmServer server) {
        long count = 0;
        for (MockLlmServer.Refusal refusal : server.refusals()) {
            long from = refusal.request().receivedAtNanos() + IN_FLIGHT_SLACK_NANOS;
            long until = refusal.request().receivedAtNanos() + refusal.retryAfter().toNanos();
            count += server.receivedRequests().stream().map(RecordedRequest::receivedAtNanos)
                    .filter(t -> t > from && t < until).count();
        }
        return count;
    }

    @Test
    void twelveCallersTwiceEachAllSucceedAtOneRequestASecondWithFew429s() throws Exception {
        try (MockLlmServer server = new MockLlmServer().limitRequests(1, 2)
                .respondWith(request -> MockReply.text("done"));
                OpenAiCompatible provider = OpenAiCompatible.builder().baseUrl(server.url("/v1"))
                        .apiKey("sk-test").model("m").build();
                LimiterRegistry limiters = LimiterRegistry.create(LimiterSettings.defaults());
                ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            RetryingProvider retrying = RetryingProvider.builder(provider, limiters, "key").build();
            List<Future<ChatResponse>> calls = new ArrayList<>();
            for (int caller = 0; caller < 12; caller++) {
                calls.add(callers.submit(() -> {
                    retrying.chat(REQUEST);
                    return retrying.chat(REQUEST);
                }));
            }
            for (Future<ChatResponse> call : calls) {
                assertEquals("done", call.get().text());
            }
            AimdLimiter limiter = limiters.limiter(new LimiterKey(provider.name(), "m", "key"));
            SendCounts sends = limiter.sends();
            int requests = server.receivedRequests().size();
            int refused = server.refusals().size();
            // the figures go to the test report, where the closing notes of this work quote them from
            System.out.printf("1 request/s, burst 2: %d requests, %d refused (%.1f %%), %s%n", requests, refused,
                    100.0 * refused / requests, sends);
            assertEquals(24, requests - refused);
            assertTrue(refused <= 0.15 * requests, refused + " of " + requests + " requests were refused");
            assertEquals(0, sends.startedInKnownPause(), sends.toString());
            assertEquals(0, arrivalsInPauses(server), "requests arrived during a pause a 429 asked for");
        }
    }

    @Test
    void aServerThatAcceptsButNeverAnswersEndsTheCallWithinItsBound() {
        try (MockLlmServer server = new MockLlmServer().respondWith(request -> MockReply.silent());
                OpenAiCompatible provider = OpenAiCompatible.builder().baseUrl(server.url("/v1"))
                        .apiKey("sk-test").model("m").requestTimeout(Duration.ofMillis(500)).build();
                LimiterRegistry limiters = LimiterRegistry.create(LimiterSettings.defaults())) {
            RetryPolicy policy = RetryPolicy.builder().maxAttempts(100).maxCallTime(Duration.ofSeconds(2))
                    .backoff(Duration.ofMillis(10), Duration.ofMillis(50)).build();
            RetryingProvider retrying = RetryingProvider.builder(provider, limiters, "key")
                    .rules(new RetryRules(policy, limiters.scheduler(), new SplittableRandom(1))).build();
            long started = System.nanoTime();
            LlmException thrown = assertThrows(LlmException.Transient.class, () -> retrying.chat(REQUEST));
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            assertTrue(thrown.getMessage().contains("did not answer"), thrown.getMessage());
            assertTrue(thrown.getMessage().contains("no response from"), thrown.getMessage());
            // the bound is 2 s of sending plus at most one attempt's 0.5 s; generous for a loaded machine
            assertTrue(took.compareTo(Duration.ofSeconds(30)) < 0, "took " + took);
            assertFalse(server.requestCount() > 10, server.requestCount() + " attempts");
        }
    }
}
