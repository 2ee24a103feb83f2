package dev.orchestrator.test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

/**
 * The server as a client sees it, over real HTTP: answers in both wire formats, streamed and not, the faults in the
 * providers' own shapes, the buckets, and what it records. (Core's provider tests parse these answers with the real
 * providers.)
 */
@ExtendWith(MockLlmExtension.class)
class MockLlmServerTest {

    private static final String OPENAI = "/v1/chat/completions";
    private static final String ANTHROPIC = "/v1/messages";

    private final HttpClient client = HttpClient.newHttpClient();

    private HttpResponse<String> post(MockLlmServer server, String path, String body)
            throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create(server.url(path)))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aToolCallIsWrittenInTheRequestsWireFormat(MockLlmServer server) throws Exception {
        server.enqueue(MockReply.toolCall("write_file", "{\"path\":\"A.txt\"}"),
                MockReply.toolCall("write_file", "{\"path\":\"A.txt\"}"));

        JsonNode openAi = Json.parse(post(server, OPENAI, "{\"model\":\"m1\"}").body());
        JsonNode anthropic = Json.parse(post(server, ANTHROPIC, "{\"model\":\"m2\"}").body());

        JsonNode call = openAi.path("choices").path(0).path("message").path("tool_calls").path(0);
        assertEquals("write_file", call.path("function").path("name").asString());
        assertEquals("{\"path\":\"A.txt\"}", call.path("function").path("arguments").asString());
        assertEquals("tool_calls", openAi.path("choices").path(0).path("finish_reason").asString());
        assertEquals("m1", openAi.path("model").asString());
        JsonNode use = anthropic.path("content").path(0);
        assertEquals("tool_use", use.path("type").asString());
        assertEquals("A.txt", use.path("input").path("path").asString());
        assertEquals("tool_use", anthropic.path("stop_reason").asString());
    }

    @Test
    void aStreamedAnswerIsServerSentEventsWhoseDataIsJson(MockLlmServer server) throws Exception {
        server.enqueue(MockReply.text("hello"), MockReply.truncated("hel"));

        HttpResponse<String> openAi = post(server, OPENAI, "{\"stream\":true}");
        HttpResponse<String> anthropic = post(server, ANTHROPIC, "{\"stream\":true}");

        assertEquals("text/event-stream", openAi.headers().firstValue("content-type").orElseThrow());
        assertTrue(openAi.body().endsWith("data: [DONE]\n\n"), openAi.body());
        assertTrue(openAi.body().contains("\"content\":\"hello\""), openAi.body());
        assertTrue(anthropic.body().contains("\"stop_reason\":\"max_tokens\""), anthropic.body());
        assertTrue(anthropic.body().contains("event: message_stop"), anthropic.body());
        for (String line : (openAi.body() + anthropic.body()).split("\n")) {
            if (line.startsWith("data: {")) {
                Json.parse(line.substring("data: ".length()));
            }
        }
    }

    @Test
    void faultsComeInEachProvidersShape(MockLlmServer server) throws Exception {
        server.enqueue(MockReply.rateLimited(Duration.ofMillis(1500)), MockReply.overloaded(),
                MockReply.contextLengthExceeded(8192), MockReply.contextLengthExceeded(8192),
                MockReply.serverError(503));

        HttpResponse<String> limited = post(server, OPENAI, "{}");
        HttpResponse<String> overloaded = post(server, ANTHROPIC, "{}");
        HttpResponse<String> tooLongOpenAi = post(server, OPENAI, "{}");
        HttpResponse<String> tooLongAnthropic = post(server, ANTHROPIC, "{}");
        HttpResponse<String> unavailable = post(server, OPENAI, "{}");

        assertEquals(429, limited.statusCode());
        assertEquals("2", limited.headers().firstValue("retry-after").orElseThrow(), "whole seconds, rounded up");
        assertEquals("rate_limit_exceeded", Json.parse(limited.body()).path("error").path("code").asString());
        assertEquals(529, overloaded.statusCode());
        assertEquals("overloaded_error", Json.parse(overloaded.body()).path("error").path("type").asString());
        assertTrue(Json.parse(tooLongOpenAi.body()).path("error").path("message").asString()
                .contains("maximum context length is 8192 tokens"), tooLongOpenAi.body());
        assertTrue(Json.parse(tooLongAnthropic.body()).path("error").path("message").asString()
                .endsWith("tokens > 8192 maximum"), tooLongAnthropic.body());
        assertEquals(503, unavailable.statusCode());
    }

    @Test
    void aRequestWithNoReplyGetsA599ThatSaysSo(MockLlmServer server) throws Exception {
        HttpResponse<String> response = post(server, OPENAI, "{}");

        assertEquals(599, response.statusCode());
        assertTrue(response.body().contains("no reply queued"), response.body());
    }

    @Test
    void aCutReplyEndsTheConnectionMidBody(MockLlmServer server) {
        server.enqueue(MockReply.text("a long enough answer").cutAfter(20));

        assertThrows(IOException.class, () -> post(server, OPENAI, "{\"stream\":true}"));
    }

    @Test
    void aSilentServerLetsTheClientTimeOutAndRecordsTheRequest(MockLlmServer server) {
        server.respondWith(request -> MockReply.silent());

        assertThrows(HttpTimeoutException.class, () -> client.send(HttpRequest.newBuilder(URI.create(
                server.url(OPENAI))).timeout(Duration.ofMillis(200)).POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build(), HttpResponse.BodyHandlers.ofString()));
        assertEquals("{}", server.takeRequest().body());
    }

    @Test
    void aRequestBucketRefusesBeyondItsBurstWithARetryAfterAndKeepsTheQueuedReply(MockLlmServer server)
            throws Exception {
        server.limitRequests(0.01, 2).respondWith(request -> MockReply.text("ok"));

        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            statuses.add(post(server, OPENAI, "{}").statusCode());
        }

        assertEquals(List.of(200, 200, 429), statuses);
        assertEquals(1, server.refusals().size());
        assertTrue(server.refusals().getFirst().retryAfter().toSeconds() > 60, server.refusals().toString());
        assertEquals(3, server.receivedRequests().size());
    }

    @Test
    void aTokenBucketChargesABodysCharactersOverFour(MockLlmServer server) throws Exception {
        server.limitTokens(0.01, 100).respondWith(request -> MockReply.text("ok"));

        assertEquals(200, post(server, OPENAI, "x".repeat(300)).statusCode(), "75 of 100 tokens");
        assertEquals(429, post(server, OPENAI, "x".repeat(200)).statusCode(), "50 more do not fit");
        assertEquals(200, post(server, OPENAI, "x".repeat(80)).statusCode(), "20 do");
    }

    @Test
    void recordedTrafficIsReplayedWithItsStatusHeadersAndBody(MockLlmServer server) throws Exception {
        server.enqueue(MockReply.recorded("openai/llm.test_tool_use_basic.0"),
                MockReply.recorded("anthropic/anthropic-sdk-python.tool_use_response.sse"));

        HttpResponse<String> cassette = post(server, OPENAI, "{}");
        HttpResponse<String> sse = post(server, ANTHROPIC, "{}");

        assertEquals(200, cassette.statusCode());
        assertTrue(cassette.headers().firstValue("x-ratelimit-limit-requests").isPresent(), "recorded headers");
        assertFalse(cassette.headers().firstValue("transfer-encoding").isPresent(), "framing is the server's own");
        assertTrue(cassette.body().contains("\"name\":\"multiply\""), cassette.body());
        assertEquals(Fixtures.text("anthropic/anthropic-sdk-python.tool_use_response.sse"), sse.body());
    }

    @Test
    void requestsAreRecordedInOrderWithTheirToolNames(MockLlmServer server) throws Exception {
        server.respondWith(request -> MockReply.text("ok"));

        post(server, OPENAI, "{\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"read_file\"}}]}");
        post(server, ANTHROPIC, "{\"tools\":[{\"name\":\"submit_plan\"}]}");

        assertEquals(List.of("read_file"), server.takeRequest().toolNames());
        RecordedRequest second = server.takeRequest();
        assertEquals(RecordedRequest.WireFormat.ANTHROPIC, second.wireFormat());
        assertEquals(List.of("submit_plan"), second.toolNames());
        assertThrows(AssertionError.class, server::takeRequest);
    }
}
