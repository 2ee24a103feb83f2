package dev.orchestrator.core.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.orchestrator.api.ChatRequest;
import dev.orchestrator.api.ChatResponse;
import dev.orchestrator.api.LlmException;
import dev.orchestrator.api.Message;
import dev.orchestrator.api.ResponseCache;
import dev.orchestrator.api.Usage;
import dev.orchestrator.core.internal.cache.CachingProvider;
import dev.orchestrator.test.MockLlmServer;
import dev.orchestrator.test.MockReply;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The response cache in front of a real provider talking to a loopback server. */
class ResponseCacheTest {

    private static final String ANSWER = """
            {"id":"chatcmpl-1","object":"chat.completion","model":"gpt-4o-mini",
             "choices":[{"index":0,"message":{"role":"assistant","content":"4"},"finish_reason":"stop"}],
             "usage":{"prompt_tokens":20,"completion_tokens":1,"total_tokens":21}}""";

    private final MockLlmServer server = new MockLlmServer();
    private final OpenAiCompatible provider = OpenAiCompatible.builder().baseUrl(server.url("/v1"))
            .apiKey("sk-test-key").model("gpt-4o-mini").build();
    private final CachingProvider cached = new CachingProvider(provider, ResponseCache.DEFAULT);

    @AfterEach
    void stop() {
        provider.close();
        server.close();
    }

    private static ChatRequest ask(String text, String task) {
        return ChatRequest.builder().message(Message.user(text)).metadata(ChatRequest.TASK, task).build();
    }

    @Test
    void fiftyConcurrentIdenticalRequestsMakeOneCall() throws Exception {
        CountDownLatch allAsked = new CountDownLatch(50);
        server.respondWith(request -> {
            try {
                // the answer comes once every caller has asked, so most of them find the call in flight
                allAsked.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return MockReply.json(200, ANSWER);
        });
        List<Future<ChatResponse>> answers = new ArrayList<>();
        try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 50; i++) {
                String task = "t" + i;
                answers.add(callers.submit(() -> {
                    allAsked.countDown();
                    return cached.chat(ask("2 + 2?", task));
                }));
            }
        }

        assertEquals(1, server.requestCount(), "one provider call for 50 identical requests");
        long paid = 0;
        for (Future<ChatResponse> answer : answers) {
            assertEquals("4", answer.get().text());
            paid += answer.get().usage().inputTokens();
        }
        assertEquals(20, paid, "the one call's tokens are counted once: shared answers cost nothing");
        assertEquals(Usage.ZERO, cached.chat(ask("2 + 2?", "later")).usage());
        assertEquals(1, server.requestCount(), "a later identical request is a hit");
        cached.chat(ask("3 + 3?", "t0"));
        assertEquals(2, server.requestCount(), "a different request is a miss");
    }

    @Test
    void aFailedCallIsNotCached() {
        server.enqueue(MockReply.json(400,
                "{\"error\":{\"message\":\"bad request\",\"type\":\"invalid_request_error\"}}"),
                MockReply.json(200, ANSWER));

        assertThrows(LlmException.class, () -> cached.chat(ask("2 + 2?", "t1")));
        ChatResponse retried = cached.chat(ask("2 + 2?", "t1"));

        assertEquals("4", retried.text());
        assertEquals(20, retried.usage().inputTokens(), "the second request was a call of its own");
        assertEquals(2, server.requestCount());
    }

    @Test
    void theCacheKeepsWithinItsBounds() {
        CachingProvider small = new CachingProvider(provider, new ResponseCache(2, 1_000_000));
        server.respondWith(request -> MockReply.json(200, ANSWER));

        small.chat(ask("a", "t"));
        small.chat(ask("b", "t"));
        small.chat(ask("a", "t"));
        small.chat(ask("c", "t"));
        assertEquals(3, server.requestCount(), "a, b, c called; the second a was a hit");
        small.chat(ask("a", "t"));
        assertEquals(3, server.requestCount(), "a was used more recently than b, so b was dropped");
        small.chat(ask("b", "t"));
        assertEquals(4, server.requestCount(), "b was dropped for c");
    }
}
