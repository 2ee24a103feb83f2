package dev.orchestrator.core.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.ChatRequest;
import dev.orchestrator.api.ChatResponse;
import dev.orchestrator.api.ForwardingProvider;
import dev.orchestrator.api.LlmProvider;
import dev.orchestrator.api.Mission;
import dev.orchestrator.api.MissionEvent;
import dev.orchestrator.api.MissionResult;
import dev.orchestrator.api.StreamListener;
import dev.orchestrator.api.TodoStatus;
import dev.orchestrator.core.internal.limit.LimiterKey;
import dev.orchestrator.core.internal.limit.LimiterRegistry;
import dev.orchestrator.test.MockLlmServer;
import dev.orchestrator.test.MockReply;
import dev.orchestrator.test.RecordedRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whole missions through the OpenAI-compatible provider and a real HTTP server on loopback that plays the model:
 * one that enforces a token bucket and answers 429 with a retry-after, and one that refuses the key.
 */
class RateLimitedMissionTest {

    private static final int TODOS = 200;
    private static final int WORKERS = 50;
    /** The bucket refills this many calls a second and holds at most BURST. */
    private static final double RATE_PER_SECOND = 100;
    private static final int BURST = 5;
    /** Every answer takes this long, so the server's real capacity is RATE × LATENCY = 5 calls at once. */
    private static final long LATENCY_MILLIS = 50;
    private static final double CAPACITY = RATE_PER_SECOND * LATENCY_MILLIS / 1000.0;
    /** What the server asks of callers it refuses: long enough to see whether anyone sends during the pause. */
    private static final long RETRY_AFTER_MILLIS = 600;

    @TempDir
    Path root;

    @Test
    void twoHundredCallsFromFiftyWorkersAllCompleteWithoutSendingDuringAPause() throws IOException {
        String apiKey = "sk-test-" + UUID.randomUUID();
        Path workspace = Files.createDirectory(root.resolve("workspace"));
        Path journal = root.resolve("journal");
        List<MissionEvent> events = Collections.synchronizedList(new ArrayList<>());
        // on System.nanoTime: when each call was handed to the provider, and each pause a 429 asked for, from when
        // the mission heard of it to its end
        List<Long> sends = Collections.synchronizedList(new ArrayList<>());
        List<Long> answered = Collections.synchronizedList(new ArrayList<>());
        List<long[]> pauses = Collections.synchronizedList(new ArrayList<>());
        MissionResult result;
        List<Long> arrivals;
        List<Long> refusals;
        try (MockLlmServer server = new MockLlmServer().limitRequests(RATE_PER_SECOND, BURST, wait -> MockReply.json(
                429, "{\"error\":{\"message\":\"Rate limit reached for requests\",\"type\":\"requests\","
                        + "\"code\":\"rate_limit_exceeded\"}}",
                "retry-after-ms", Long.toString(RETRY_AFTER_MILLIS), "x-ratelimit-remaining-requests", "0"))
                .respondWith(request -> {
            sleep(LATENCY_MILLIS);
            return MockReply.json(200, PlayedModel.answer(request, TODOS));
        }); OpenAiCompatible provider = OpenAiCompatible.builder().baseUrl(server.url("/v1")).apiKey(apiKey)
                .model("loopback-model").build()) {
            result = Mission.builder().goal("two hundred small things").workspace(workspace)
                    .provider(new SendTimes(provider, sends, answered))
                    .verifyWith("true").maxParallelWorkers(WORKERS).journal(journal)
                    .listener((event, progress) -> {
                        if (event instanceof MissionEvent.CallsPaused paused
                                && paused.cause().equals("RETRY_AFTER")) {
                            long heard = System.nanoTime();
                            pauses.add(new long[] {heard, heard + Duration.between(Instant.now(), paused.until())
                                    .toNanos()});
                        }
                        events.add(event);
                    }).build().run();

            assertEquals(MissionResult.Outcome.COMPLETED, result.outcome(), result.reason());
            assertEquals(TODOS, result.todos().size());
            assertTrue(result.todos().stream().allMatch(t -> t.state() == TodoStatus.State.DONE));
            double limit = LimiterRegistry.shared().limiter(new LimiterKey(provider.name(), "loopback-model",
                    provider.quotaId().orElseThrow())).state().limit();
            // the figures go to the test report, where the closing notes of this work quote them from
            arrivals = server.receivedRequests().stream().map(RecordedRequest::receivedAtNanos).toList();
            refusals = server.refusals().stream().map(refusal -> refusal.request().receivedAtNanos()).toList();
            // the capacity the limiter met: the server's rate times how long an answer took here, which a busy
            // machine stretches past the server's LATENCY_MILLIS (and with it the calls that fit at once)
            double capacity = RATE_PER_SECOND * answered.stream().mapToLong(Long::longValue).average().orElseThrow()
                    / 1e9;
            System.out.printf("%d requests, %d refused, limit %.2f for a capacity of %.1f (%.1f met), %d ms%n",
                    arrivals.size(), refusals.size(), limit, CAPACITY, capacity, result.duration().toMillis());
            assertTrue(limit >= CAPACITY / 2 && limit <= capacity * 2,
                    "the limit settled at " + limit + " for a capacity of " + CAPACITY + " (" + capacity + " met)");
        }

        assertFalse(refusals.isEmpty(), "the bucket never refused: the test would prove nothing");
        assertTrue(events.stream().anyMatch(e -> e instanceof MissionEvent.CallRetried));
        assertTrue(events.stream().anyMatch(e -> e instanceof MissionEvent.CallsPaused));
        assertFalse(pauses.isEmpty(), "no pause was heard of: the test would prove nothing");
        // a call on its way when the 429 came may land during the pause; one handed over after the mission heard of
        // the pause (so after the limiter set it) must wait for its end
        for (long[] pause : pauses) {
            List<Long> during = sends.stream().filter(t -> t > pause[0] && t < pause[1]).toList();
            assertTrue(during.isEmpty(), during.size() + " calls were sent during the pause a 429 asked for");
        }
        assertJournalLacks(journal, apiKey);
    }

    @Test
    void aRefusedKeyEndsTheMissionWithWhatToFixAndTheKeyIsNowhere() throws IOException {
        String apiKey = "sk-test-" + UUID.randomUUID();
        Path workspace = Files.createDirectory(root.resolve("workspace"));
        Path journal = root.resolve("journal");
        MissionResult result;
        try (MockLlmServer server = new MockLlmServer().respondWith(request -> MockReply.json(401,
                "{\"error\":{\"message\":\"Incorrect API key provided: " + apiKey + ". You can find your API key "
                        + "at https://platform.openai.com/account/api-keys.\",\"type\":\"invalid_request_error\","
                        + "\"code\":\"invalid_api_key\"}}"));
                OpenAiCompatible provider = OpenAiCompatible.builder().baseUrl(server.url("/v1")).apiKey(apiKey)
                        .model("loopback-model").build()) {
            result = Mission.builder().goal("anything").workspace(workspace).provider(provider).verifyWith("true")
                    .journal(journal).build().run();
            assertEquals(1, server.requestCount(), "an authentication failure is not retried");
        }

        assertEquals(MissionResult.Outcome.FAILED, result.outcome());
        assertTrue(result.reason().contains("OPENAI_API_KEY"), result.reason());
        assertFalse(result.reason().contains(apiKey), result.reason());
        assertJournalLacks(journal, apiKey);
    }

    private static void assertJournalLacks(Path journal, String secret) throws IOException {
        byte[] needle = secret.getBytes(StandardCharsets.UTF_8);
        try (Stream<Path> files = Files.walk(journal)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String content = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
                assertFalse(content.contains(new String(needle, StandardCharsets.ISO_8859_1)),
                        "the API key is in " + file);
            }
        }
    }

    /**
     * Notes when each call is handed to the provider (after the limiter let it go out) and how long each answered
     * call took.
     */
    private static final class SendTimes extends ForwardingProvider {
        private final List<Long> sends;
        private final List<Long> answered;

        SendTimes(LlmProvider delegate, List<Long> sends, List<Long> answered) {
            super(delegate);
            this.sends = sends;
            this.answered = answered;
        }

        @Override
        public ChatResponse chat(ChatRequest request) {
            return timed(() -> delegate.chat(request));
        }

        @Override
        public ChatResponse stream(ChatRequest request, StreamListener listener) {
            return timed(() -> delegate.stream(request, listener));
        }

        private ChatResponse timed(Supplier<ChatResponse> call) {
            long sent = System.nanoTime();
            sends.add(sent);
            ChatResponse response = call.get();
            answered.add(System.nanoTime() - sent);
            return response;
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
