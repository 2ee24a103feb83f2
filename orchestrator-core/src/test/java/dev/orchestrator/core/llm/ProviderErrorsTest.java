package dev.orchestrator.core.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.ChatRequest;
import dev.orchestrator.api.LlmException;
import dev.orchestrator.api.LlmProvider;
import dev.orchestrator.api.Message;
import dev.orchestrator.api.StreamListener;
import dev.orchestrator.api.ToolSpec;
import dev.orchestrator.core.internal.llm.ErrorClassifier;
import dev.orchestrator.test.Fixtures;
import dev.orchestrator.test.MockLlmServer;
import dev.orchestrator.test.MockReply;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Every failure class, from realistic status codes, bodies and headers, through a real HTTP exchange. */
class ProviderErrorsTest {

    private static final String OPENAI_KEY = "sk-proj-SECRET0123456789abcdef";
    private static final String ANTHROPIC_KEY = "sk-ant-api03-SECRET0123456789";
    private static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");

    private final MockLlmServer server = new MockLlmServer();
    private final OpenAiCompatible openai = OpenAiCompatible.builder().baseUrl(server.url("/v1"))
            .apiKey(OPENAI_KEY).clock(InstantSource.fixed(NOW)).build();
    private final Anthropic anthropic = Anthropic.builder().baseUrl(server.url(""))
            .apiKey(ANTHROPIC_KEY).clock(InstantSource.fixed(NOW)).build();

    @AfterEach
    void stop() {
        openai.close();
        anthropic.close();
        server.close();
    }

    private static final ChatRequest REQUEST = ChatRequest.builder().message(Message.user("hi")).build();

    private LlmException failure(LlmProvider provider, MockReply reply) {
        server.enqueue(reply);
        return assertThrows(LlmException.class, () -> provider.chat(REQUEST));
    }

    /** A provider of its own on the mock server, closed by the caller. */
    private OpenAiCompatible withRequestTimeout(Duration timeout) {
        return OpenAiCompatible.builder().baseUrl(server.url("/v1")).model("m").requestTimeout(timeout).build();
    }

    private LlmException streamFailure(LlmProvider provider, MockReply reply) {
        server.enqueue(reply);
        return assertThrows(LlmException.class, () -> provider.stream(REQUEST, StreamListener.IGNORE));
    }

    @Test
    void openAiRateLimitCarriesRetryAfterMsAndLimits() {
        LlmException e = failure(openai, MockReply.json(429, """
                {"error":{"message":"Rate limit reached for gpt-4o-mini in organization org-abc on tokens per min \
                (TPM): Limit 200000, Used 199912, Requested 1400. Please try again in 394ms.","type":"tokens",\
                "param":null,"code":"rate_limit_exceeded"}}""",
                "retry-after-ms", "394", "retry-after", "1", "x-ratelimit-remaining-tokens", "88",
                "x-ratelimit-reset-tokens", "394ms", "x-ratelimit-remaining-requests", "4999",
                "x-ratelimit-reset-requests", "6m0s"));

        LlmException.RateLimited limited = assertInstanceOf(LlmException.RateLimited.class, e);
        assertEquals(429, limited.status());
        assertTrue(limited.isRetryable());
        assertEquals(Optional.of(Duration.ofMillis(394)), limited.retryAfter());
        assertEquals(OptionalLong.of(88), limited.rateLimits().remainingTokens());
        assertEquals(Duration.ofMinutes(6), limited.rateLimits().requestsReset().orElseThrow());
        assertTrue(limited.getMessage().contains("rate_limit_exceeded"), limited.getMessage());
    }

    @Test
    void anthropicRateLimitCarriesRetryAfterSeconds() {
        LlmException e = failure(anthropic, MockReply.json(429, """
                {"type":"error","error":{"type":"rate_limit_error","message":"This request would exceed the rate \
                limit for your organization of 50,000 input tokens per minute."},"request_id":"req_011"}""",
                "retry-after", "17", "anthropic-ratelimit-input-tokens-remaining", "0",
                "anthropic-ratelimit-input-tokens-reset", "2026-11-27T12:00:17Z"));

        LlmException.RateLimited limited = assertInstanceOf(LlmException.RateLimited.class, e);
        assertEquals(Optional.of(Duration.ofSeconds(17)), limited.retryAfter());
        assertEquals(OptionalLong.of(0), limited.rateLimits().remainingTokens());
        assertEquals(Duration.ofSeconds(17), limited.rateLimits().tokensReset().orElseThrow());
    }

    @Test
    void retryAfterAsHttpDateIsAWaitFromTheInjectedClock() {
        LlmException e = failure(openai, MockReply.json(429, "{\"error\":{\"message\":\"slow down\"}}",
                "retry-after", "Fri, 27 Nov 2026 12:01:30 GMT"));

        assertEquals(Optional.of(Duration.ofSeconds(90)),
                assertInstanceOf(LlmException.RateLimited.class, e).retryAfter());
    }

    @Test
    void insufficientQuotaIsNotRetryable() {
        LlmException e = failure(openai, MockReply.json(429, """
                {"error":{"message":"You exceeded your current quota, please check your plan and billing details.",\
                "type":"insufficient_quota","param":null,"code":"insufficient_quota"}}"""));

        assertInstanceOf(LlmException.QuotaExhausted.class, e);
        assertFalse(e.isRetryable());
        assertTrue(e.getMessage().contains("(insufficient_quota)"), e.getMessage());
    }

    @Test
    void anthropicLowCreditIsQuotaExhausted() {
        LlmException e = failure(anthropic, MockReply.json(400, """
                {"type":"error","error":{"type":"invalid_request_error","message":"Your credit balance is too low \
                to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits."}}"""));

        assertInstanceOf(LlmException.QuotaExhausted.class, e);
    }

    @Test
    void anthropic529IsOverloaded() {
        LlmException e = failure(anthropic, MockReply.json(529,
                "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}"));

        assertEquals(529, assertInstanceOf(LlmException.Overloaded.class, e).status());
        assertTrue(e.isRetryable());
    }

    @Test
    void status503IsOverloadedWithItsRetryAfter() {
        LlmException e = failure(openai, MockReply.json(503, "{\"error\":{\"message\":\"The engine is currently "
                + "overloaded, please try again later\",\"type\":\"server_error\"}}", "retry-after", "2"));

        assertEquals(Optional.of(Duration.ofSeconds(2)),
                assertInstanceOf(LlmException.Overloaded.class, e).retryAfter());
    }

    @Test
    void serverErrorsTimeoutsAndConflictsAreTransient() {
        assertEquals(500, assertInstanceOf(LlmException.Transient.class, failure(anthropic, MockReply.json(500,
                "{\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"Internal server error\"}}")))
                .status());
        assertEquals(502, assertInstanceOf(LlmException.Transient.class, failure(openai,
                MockReply.raw(502, "text/html", "<html><body><h1>502 Bad Gateway</h1></body></html>"))).status());
        assertEquals(408, assertInstanceOf(LlmException.Transient.class,
                failure(openai, MockReply.json(408, "{\"error\":{\"message\":\"Request timed out\"}}"))).status());
        assertEquals(409, assertInstanceOf(LlmException.Transient.class,
                failure(openai, MockReply.json(409, "{\"error\":{\"message\":\"conflict\"}}"))).status());
    }

    @Test
    void openAiContextLengthIsRecognisedByItsCode() {
        LlmException e = failure(openai, MockReply.json(400, """
                {"error":{"message":"This model's maximum context length is 128000 tokens. However, your messages \
                resulted in 130412 tokens. Please reduce the length of the messages.","type":"invalid_request_error",\
                "param":"messages","code":"context_length_exceeded"}}"""));

        assertInstanceOf(LlmException.ContextLengthExceeded.class, e);
        assertFalse(e.isRetryable());
    }

    @Test
    void anthropicPromptTooLongIsContextLength() {
        LlmException e = failure(anthropic, MockReply.json(400, """
                {"type":"error","error":{"type":"invalid_request_error",\
                "message":"prompt is too long: 208310 tokens > 200000 maximum"}}"""));

        assertInstanceOf(LlmException.ContextLengthExceeded.class, e);
    }

    @Test
    void llamaCppContextErrorWithIntegerCodeIsContextLength() {
        LlmException e = failure(openai, MockReply.json(400, """
                {"error":{"code":400,"message":"the request exceeds the available context size, try increasing it",\
                "type":"exceed_context_size_error","n_prompt_tokens":5210,"n_ctx":4096}}"""));

        assertInstanceOf(LlmException.ContextLengthExceeded.class, e);
    }

    @Test
    void authenticationFailureNamesTheVariableAndNeverTheKey() {
        LlmException e = failure(openai, MockReply.json(401, "{\"error\":{\"message\":\"Incorrect API key provided: "
                + OPENAI_KEY + ". You can find your API key at https://platform.openai.com/account/api-keys.\","
                + "\"type\":\"invalid_request_error\",\"param\":null,\"code\":\"invalid_api_key\"}}"));

        assertInstanceOf(LlmException.AuthenticationFailed.class, e);
        assertTrue(e.getMessage().contains("OPENAI_API_KEY"), e.getMessage());
        assertFalse(e.getMessage().contains(OPENAI_KEY), e.getMessage());
        assertFalse(e.getMessage().contains("SECRET"), e.getMessage());
        assertFalse(openai.toString().contains("SECRET"));
        assertFalse(anthropic.toString().contains("SECRET"));
    }

    @Test
    void aKeyEchoedAtTheEndOfALongMessageIsRedactedBeforeTheMessageIsShortened() {
        String padding = "x".repeat(380);
        LlmException e = failure(anthropic, MockReply.json(400, "{\"type\":\"error\",\"error\":{\"type\":"
                + "\"invalid_request_error\",\"message\":\"" + padding + " key " + ANTHROPIC_KEY + "\"}}"));

        assertFalse(e.getMessage().contains("SECRET"), e.getMessage());
        assertFalse(e.getMessage().contains(ANTHROPIC_KEY.substring(0, 12)), e.getMessage());
    }

    @Test
    void anthropicPermissionErrorIsAuthentication() {
        LlmException e = failure(anthropic, MockReply.json(403, "{\"type\":\"error\",\"error\":{\"type\":"
                + "\"permission_error\",\"message\":\"Your API key " + ANTHROPIC_KEY
                + " does not have permission\"}}"));

        assertEquals(403, assertInstanceOf(LlmException.AuthenticationFailed.class, e).status());
        assertTrue(e.getMessage().contains("ANTHROPIC_API_KEY"), e.getMessage());
        assertFalse(e.getMessage().contains(ANTHROPIC_KEY), e.getMessage());
    }

    @Test
    void otherClientErrorsAreInvalidRequests() {
        assertEquals(404, assertInstanceOf(LlmException.InvalidRequest.class, failure(anthropic, MockReply.json(404,
                "{\"type\":\"error\",\"error\":{\"type\":\"not_found_error\",\"message\":\"model: claude-nope\"}}")))
                .status());
        assertInstanceOf(LlmException.InvalidRequest.class, failure(openai, MockReply.json(400, """
                {"error":{"message":"Invalid value for 'temperature'","type":"invalid_request_error",\
                "param":"temperature","code":"invalid_value"}}""")));
        // Ollama reports some errors as a bare string
        assertInstanceOf(LlmException.InvalidRequest.class,
                failure(openai, MockReply.json(404, "{\"error\":\"model \\\"llama9\\\" not found, try pulling it\"}")));
    }

    @Test
    void aWebServersOwnNotFoundSaysToCheckTheBaseUrlNotTheModel() {
        // Ollama at http://localhost:11434 without /v1 answers this, as does any router with no such path
        LlmException e = failure(openai, MockReply.raw(404, "text/plain; charset=utf-8", "404 page not found"));
        LlmException html = failure(anthropic, MockReply.raw(405, "text/html", "<html><h1>405 Not Allowed</h1>"));

        assertEquals(404, assertInstanceOf(LlmException.InvalidRequest.class, e).status());
        assertTrue(e.getMessage().contains("answered HTTP 404: 404 page not found; no API answers at "
                + server.url("/v1") + "/chat/completions: check OPENAI_BASE_URL or "
                + "OpenAiCompatible.Builder.baseUrl(...) (the whole base URL as the server documents it, e.g. ending "
                + "in /v1 for most OpenAI-compatible servers)"), e.getMessage());
        assertFalse(e.getMessage().contains("model name"), e.getMessage());
        assertTrue(html.getMessage().contains("check ANTHROPIC_BASE_URL"), html.getMessage());
    }

    @Test
    void aModelWithoutToolCallsIsToldApartFromABadRequest() {
        // Ollama's OpenAI-compatible answer for gemma3:4b and other models whose template has no tool calls
        LlmException e = failure(openai, MockReply.json(400, "{\"error\":{\"message\":\"registry.ollama.ai/library/"
                + "gemma3:4b does not support tools\",\"type\":\"api_error\",\"param\":null,\"code\":null}}"));

        assertFalse(assertInstanceOf(LlmException.InvalidRequest.class, e).isRetryable());
        assertTrue(e.getMessage().endsWith("gemma3:4b does not support tools; the agents answer and work through "
                + "tool calls, so the model must support them: pick one that does (on Ollama, one tagged \"tools\", "
                + "such as llama3.1 or qwen2.5)"), e.getMessage());
    }

    @Test
    void theApisOwnAnswerForAPathTheyLackSaysToCheckTheBaseUrl() {
        // api.anthropic.com for ANTHROPIC_BASE_URL=https://api.anthropic.com/v1, which the provider doubles; before,
        // "the request is rejected as sent: check the model name and settings"
        try (Anthropic doubled = Anthropic.builder().baseUrl(server.url("/v1")).apiKey(ANTHROPIC_KEY).build()) {
            server.enqueue(MockReply.json(404,
                    "{\"type\":\"error\",\"error\":{\"type\":\"not_found_error\",\"message\":\"Not Found\"}}"));
            LlmException anthropicPath = assertThrows(LlmException.class, () -> doubled.chat(REQUEST));

            assertTrue(assertInstanceOf(LlmException.InvalidRequest.class, anthropicPath).getMessage().endsWith(
                    "answered HTTP 404: Not Found; no API answers at " + server.url("/v1") + "/v1/messages: check "
                    + "ANTHROPIC_BASE_URL or Anthropic.Builder.baseUrl(...) (the base URL without /v1, which the "
                    + "provider appends, e.g. https://api.anthropic.com)"), anthropicPath.getMessage());
        }
        LlmException openAiPath = failure(openai, MockReply.json(404, "{\"error\":{\"message\":\"Invalid URL (POST "
                + "/v1/v1/chat/completions)\",\"type\":\"invalid_request_error\",\"param\":null,\"code\":null}}"));
        // an unknown model is the model's fault, as before
        LlmException model = failure(anthropic, MockReply.json(404, "{\"type\":\"error\",\"error\":{\"type\":"
                + "\"not_found_error\",\"message\":\"model: claude-sonnet-9\"}}"));

        assertTrue(openAiPath.getMessage().contains("Invalid URL (POST /v1/v1/chat/completions); no API answers at "
                + server.url("/v1") + "/chat/completions: check OPENAI_BASE_URL"), openAiPath.getMessage());
        assertTrue(model.getMessage().contains("model: claude-sonnet-9; the request is rejected as sent: check the "
                + "model name and settings"), model.getMessage());
    }

    @Test
    void errorEventAfterStatus200IsClassified() {
        LlmException e = streamFailure(anthropic, MockReply.sse("""
                event: message_start
                data: {"type":"message_start","message":{"id":"msg_1","model":"claude-sonnet-4-5","content":[],"usage":{"input_tokens":10,"output_tokens":1}}}

                event: error
                data: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}

                """));

        assertEquals(529, assertInstanceOf(LlmException.Overloaded.class, e).status());
    }

    @Test
    void openAiErrorChunkAfterStatus200IsClassified() {
        LlmException server = streamFailure(openai, MockReply.sse("""
                data: {"id":"c","model":"m","choices":[{"index":0,"delta":{"content":"Hel"},"finish_reason":null}]}

                data: {"error":{"message":"The server had an error while processing your request.","type":"server_error","code":null}}

                """));
        assertInstanceOf(LlmException.Transient.class, server);

        // gateways such as OpenRouter put the upstream status in an integer code
        LlmException limited = streamFailure(openai, MockReply.sse("""
                data: {"error":{"code":429,"message":"Rate limit exceeded: upstream"}}

                """));
        assertInstanceOf(LlmException.RateLimited.class, limited);
    }

    @Test
    void anErrorChunkAfterTheAnswerBeganSaysTheStreamBrokeOffAndWhy() {
        // OpenRouter's answer when the upstream model hit its token limit part-way: finish_reason length, then this
        LlmException e = streamFailure(openai, MockReply.sse("""
                data: {"id":"gen-1","model":"m","choices":[{"index":0,"delta":{"content":"Hel"},"finish_reason":null}]}

                data: {"id":"gen-1","model":"m","choices":[{"index":0,"delta":{},"finish_reason":"length"}]}

                data: {"error":{"code":400,"message":"Token limit reached"}}

                """));

        assertInstanceOf(LlmException.InvalidRequest.class, e);
        assertTrue(e.getMessage().contains("broke off its streamed answer after 2 chunks, finish_reason length with "
                + "error 400: Token limit reached"), e.getMessage());
        assertFalse(e.getMessage().contains("rejected as sent"), e.getMessage());
    }

    @Test
    void streamThatEndsMidwayIsTransient() {
        String full = Fixtures.text("anthropic/anthropic-sdk-python.tool_use_response.sse");
        String firstHalf = full.substring(0, full.indexOf("event: content_block_stop"));

        LlmException e = streamFailure(anthropic, MockReply.sse(firstHalf));

        assertInstanceOf(LlmException.Transient.class, e);
        assertTrue(e.getMessage().contains("before it was complete"), e.getMessage());

        String openAiHalf = Fixtures.text("openai/openai-python.stream-plain-text.sse").substring(0, 2000);
        assertInstanceOf(LlmException.Transient.class, streamFailure(openai, MockReply.sse(openAiHalf)));
    }

    @Test
    void connectionCutInTheMiddleOfTheBodyIsTransient() {
        MockReply cut = MockReply.recorded("openai/openai-python.stream-two-parallel-tool-calls.sse").cutAfter(3000);

        LlmException e = streamFailure(openai, cut);

        assertEquals(200, assertInstanceOf(LlmException.Transient.class, e).status());
        assertInstanceOf(IOException.class, e.getCause());
        // it said "the stream broke off after 1 chunks, ...", without saying whose
        assertTrue(e.getMessage().startsWith("the stream from the OpenAI-compatible server at " + server.url("/v1")
                + " broke off before it was complete ("), e.getMessage());
    }

    @Test
    void streamThatStallsMidwayIsGivenUpAsTransient() {
        server.enqueue(MockReply.recorded("openai/openai-python.stream-plain-text.sse").stallAfter(2000));
        try (OpenAiCompatible watchful = OpenAiCompatible.builder().baseUrl(server.url("/v1")).model("m")
                .streamIdleTimeout(Duration.ofMillis(300)).build()) {
            LlmException e = assertThrows(LlmException.class, () -> watchful.stream(REQUEST, StreamListener.IGNORE));

            assertEquals(200, assertInstanceOf(LlmException.Transient.class, e).status());
            assertTrue(e.getMessage().contains("streamIdleTimeout"), e.getMessage());
        }
    }

    @Test
    void aRefusedLoopbackConnectionBeforeAnyAnswerIsUnreachableAndNamesTheUrlAndTheSetting() throws IOException {
        int closedPort = closedPort();
        try (OpenAiCompatible nowhere = OpenAiCompatible.builder().baseUrl("http://127.0.0.1:" + closedPort + "/v1")
                .model("m").build();
                Anthropic nowhereElse = Anthropic.builder().baseUrl("http://localhost:" + closedPort)
                        .apiKey(ANTHROPIC_KEY).build()) {
            LlmException openAiFailure = assertThrows(LlmException.class, () -> nowhere.chat(REQUEST));
            LlmException anthropicFailure = assertThrows(LlmException.class,
                    () -> nowhereElse.stream(REQUEST, StreamListener.IGNORE));

            assertFalse(assertInstanceOf(LlmException.Unreachable.class, openAiFailure).isRetryable());
            assertTrue(openAiFailure.getMessage().contains("http://127.0.0.1:" + closedPort + "/v1")
                    && openAiFailure.getMessage().contains("OPENAI_BASE_URL")
                    && openAiFailure.getMessage().contains("connection refused"), openAiFailure.getMessage());
            assertInstanceOf(LlmException.Unreachable.class, anthropicFailure);
            assertTrue(anthropicFailure.getMessage().contains("http://localhost:" + closedPort)
                    && anthropicFailure.getMessage().contains("ANTHROPIC_BASE_URL"), anthropicFailure.getMessage());
        }
    }

    @Test
    void aRefusedConnectionAfterTheServerAnsweredIsTransientAsARestartWouldBe() {
        // an error answer is an answer: the server was there
        failure(openai, MockReply.serverError(500));
        server.close();

        LlmException e = assertThrows(LlmException.class, () -> openai.chat(REQUEST));

        assertEquals(0, assertInstanceOf(LlmException.Transient.class, e).status());
        assertTrue(e.isRetryable());
    }

    @Test
    void aHostNameThatDoesNotResolveBeforeAnyAnswerIsUnreachable() {
        ErrorClassifier errors = new ErrorClassifier("the OpenAI-compatible server at http://olama:11434/v1",
                "OPENAI_API_KEY", new ErrorClassifier.BaseUrl("OPENAI_BASE_URL or OpenAiCompatible.Builder.baseUrl(...)",
                        "as the server documents it"), "",
                new ErrorClassifier.Timeouts(Duration.ofSeconds(10), Duration.ofMinutes(10),
                        "OpenAiCompatible.Builder.requestTimeout(...)"), InstantSource.fixed(NOW));
        // what the JDK's client throws for a name the resolver does not know; looking one up would leave loopback
        ConnectException unresolved = new ConnectException();
        unresolved.initCause(new UnresolvedAddressException());

        LlmException e = errors.fromIoBeforeAnyAnswer(unresolved, URI.create("http://olama:11434/v1/chat/completions"));

        assertInstanceOf(LlmException.Unreachable.class, e);
        assertTrue(e.getMessage().contains("olama does not resolve") && e.getMessage().contains("OPENAI_BASE_URL"),
                e.getMessage());
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Test
    void requestTimeoutIsTransient() {
        server.enqueue(MockReply.silent());
        try (OpenAiCompatible impatient = withRequestTimeout(Duration.ofMillis(200))) {
            LlmException e = assertThrows(LlmException.class, () -> impatient.chat(REQUEST));

            assertEquals(0, assertInstanceOf(LlmException.Transient.class, e).status());
            assertTrue(e.getMessage().contains("within the request timeout of 200 ms"), e.getMessage());
            assertTrue(e.getMessage().contains("raise the request timeout (OpenAiCompatible.Builder.requestTimeout"
                    + "(...))"), e.getMessage());
        }
    }

    @Test
    void aWholeAnswerThatStallsAfterItsHeadersRunsOutOfTheRequestTimeout() {
        // the headers and the first bytes come at once; the JDK's own timeout ended with the headers, and the call
        // waited for the rest for ever
        server.enqueue(MockReply.text("All done.").stallAfter(20));
        try (OpenAiCompatible impatient = withRequestTimeout(Duration.ofMillis(300))) {
            LlmException e = assertThrows(LlmException.class, () -> impatient.chat(REQUEST));

            assertEquals(200, assertInstanceOf(LlmException.Transient.class, e).status());
            assertTrue(e.getMessage().startsWith("the answer from the OpenAI-compatible server at "
                    + server.url("/v1") + " did not arrive whole within the request timeout of 300 ms: it began and "
                    + "then stalled; if its answers take longer, raise the request timeout "
                    + "(OpenAiCompatible.Builder.requestTimeout(...))"), e.getMessage());
        }
    }

    @Test
    void anErrorWhoseBodyStallsIsStillClassifiedByItsStatusWithinTheRequestTimeout() {
        server.enqueue(MockReply.rateLimited(Duration.ofSeconds(7)).stallAfter(10));
        try (OpenAiCompatible impatient = withRequestTimeout(Duration.ofMillis(300))) {
            LlmException e = assertThrows(LlmException.class, () -> impatient.chat(REQUEST));

            assertEquals(Optional.of(Duration.ofSeconds(7)),
                    assertInstanceOf(LlmException.RateLimited.class, e).retryAfter());
            // with no body to quote, nothing after the status (it said "answered HTTP 429: ; retry after ...")
            assertTrue(e.getMessage().contains(" answered HTTP 429; retry after "), e.getMessage());
        }
    }

    @Test
    void aWholeAnswerCutAfterItsHeadersSaysItBrokeOff() {
        LlmException e = failure(anthropic, MockReply.text("All done.").cutAfter(20));

        assertEquals(200, assertInstanceOf(LlmException.Transient.class, e).status());
        assertTrue(e.getMessage().startsWith("the answer from Anthropic at " + server.url("")
                + " broke off before it was complete: "), e.getMessage());
    }

    @Test
    void nonJsonSuccessBodyIsTransient() {
        LlmException e = failure(openai, MockReply.raw(200, "", "<html>captive portal</html>"));

        assertInstanceOf(LlmException.Transient.class, e);
    }

    @Test
    void toolWithASchemaThatIsNotJsonIsRejectedBeforeSending() {
        ChatRequest request = REQUEST.toBuilder()
                .tools(List.of(new ToolSpec("broken", "d", "{type: object"))).build();

        LlmException e = assertThrows(LlmException.class, () -> anthropic.chat(request));

        assertInstanceOf(LlmException.InvalidRequest.class, e);
        assertTrue(e.getMessage().contains("'broken'"), e.getMessage());
        assertEquals(0, server.requestCount());
    }

    @Test
    void eachCallIsOneRequestWithoutRetries() {
        failure(openai, MockReply.json(500, "{\"error\":{\"message\":\"boom\",\"type\":\"server_error\"}}"));

        assertEquals(1, server.requestCount());
    }

    @Test
    void injectedClientOutlivesTheProvider() throws Exception {
        try (HttpClient client = HttpClient.newHttpClient()) {
            OpenAiCompatible borrowed = OpenAiCompatible.builder().baseUrl(server.url("/v1")).model("m")
                    .httpClient(client).build();
            borrowed.close();

            assertFalse(client.isTerminated());
            server.enqueue(MockReply.recorded("openai/llm.test_tool_use_chain_of_two_calls.2"));
            assertEquals("YES", OpenAiCompatible.builder().baseUrl(server.url("/v1")).model("m").httpClient(client)
                    .build().chat(REQUEST).text());
        }
    }
}
