package dev.orchestrator.core.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.ChatRequest;
import dev.orchestrator.api.ChatResponse;
import dev.orchestrator.api.LlmException;
import dev.orchestrator.api.Message;
import dev.orchestrator.api.StopReason;
import dev.orchestrator.api.StreamListener;
import dev.orchestrator.api.ToolCall;
import dev.orchestrator.api.ToolSpec;
import dev.orchestrator.api.Usage;
import dev.orchestrator.core.internal.llm.JsonTrees;
import dev.orchestrator.test.Fixtures;
import dev.orchestrator.test.MockLlmServer;
import dev.orchestrator.test.RecordedRequest;
import dev.orchestrator.test.MockReply;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The OpenAI-compatible provider against recorded OpenAI traffic served from 127.0.0.1. */
class OpenAiCompatibleTest {

    private final MockLlmServer server = new MockLlmServer();
    private final OpenAiCompatible provider = OpenAiCompatible.builder()
            .baseUrl(server.url("/v1"))
            .apiKey("sk-test-key")
            .model("gpt-4o-mini")
            .build();

    @AfterEach
    void stop() {
        provider.close();
        server.close();
    }

    private static ChatRequest ask(String text) {
        return ChatRequest.builder().message(Message.user(text)).build();
    }

    private static final ToolSpec MULTIPLY = new ToolSpec("multiply", "Multiply two numbers.",
            "{\"properties\":{\"a\":{\"type\":\"integer\"},\"b\":{\"type\":\"integer\"}},"
                    + "\"required\":[\"a\",\"b\"],\"type\":\"object\"}");

    @Test
    void streamMergesTwoParallelToolCallsByIndex() {
        server.enqueue(MockReply.recorded("openai/openai-python.stream-two-parallel-tool-calls.sse"));
        RecordingListener listener = new RecordingListener();

        ChatResponse response = provider.stream(ask("weather and stock"), listener);

        assertEquals("", response.text());
        assertEquals(List.of(
                new ToolCall("call_JMW1whyEaYG438VE1OIflxA2", "GetWeatherArgs",
                        "{\"city\": \"Edinburgh\", \"country\": \"GB\", \"units\": \"c\"}"),
                new ToolCall("call_DNYTawLBoN8fj3KN6qU9N1Ou", "get_stock_price",
                        "{\"ticker\": \"AAPL\", \"exchange\": \"NASDAQ\"}")), response.toolCalls());
        assertEquals(StopReason.TOOL_USE, response.stopReason());
        assertEquals(new Usage(149, 60, 0, 0), response.usage());
        assertEquals("gpt-4o-2024-08-06", response.model());
        assertEquals(List.of("call_JMW1whyEaYG438VE1OIflxA2 GetWeatherArgs",
                "call_DNYTawLBoN8fj3KN6qU9N1Ou get_stock_price"), listener.toolCallsStarted);
    }

    @Test
    void streamAssemblesSingleToolCallWhoseFirstDeltaCarriesEverything() {
        server.enqueue(MockReply.recorded("openai/openai-python.stream-single-tool-call.sse"));

        ChatResponse response = provider.stream(ask("weather"), StreamListener.IGNORE);

        assertEquals("", response.text());
        assertEquals(List.of(new ToolCall("call_4XzlGBLtUe9dy3GVNV4jhq7h", "get_weather",
                "{\"city\":\"New York City\"}")), response.toolCalls());
        assertEquals(StopReason.TOOL_USE, response.stopReason());
        assertEquals(new Usage(44, 16, 0, 0), response.usage());
        assertEquals("gpt-4o-2024-08-06", response.model());
    }

    @Test
    void streamDeliversPlainTextIncrementally() {
        server.enqueue(MockReply.recorded("openai/openai-python.stream-plain-text.sse"));
        RecordingListener listener = new RecordingListener();

        ChatResponse response = provider.stream(ask("weather in SF"), listener);

        String expected = "I'm unable to provide real-time weather updates. To get the current weather in San "
                + "Francisco, I recommend checking a reliable weather website or a weather app.";
        assertEquals(expected, response.text());
        assertEquals(expected, listener.text.toString());
        assertEquals(List.of(), response.toolCalls());
        assertEquals(StopReason.END_TURN, response.stopReason());
        assertEquals(new Usage(14, 30, 0, 0), response.usage());
    }

    @Test
    void streamCutByLengthStopsWithMaxTokens() {
        server.enqueue(MockReply.recorded("openai/openai-python.stream-finish-length.sse"));

        ChatResponse response = provider.stream(ask("json please"), StreamListener.IGNORE);

        assertEquals("{\"", response.text());
        assertEquals(StopReason.MAX_TOKENS, response.stopReason());
        assertEquals(new Usage(79, 1, 0, 0), response.usage());
    }

    @Test
    void streamedRefusalIsTextWithRefusalStopReason() {
        server.enqueue(MockReply.recorded("openai/openai-python.stream-refusal.sse"));

        ChatResponse response = provider.stream(ask("something bad"), StreamListener.IGNORE);

        assertEquals("I'm sorry, I can't assist with that request.", response.text());
        assertEquals(StopReason.REFUSAL, response.stopReason());
        assertEquals(new Usage(79, 11, 0, 0), response.usage());
    }

    @Test
    void streamedToolLoopSendsTheDocumentedRequestsAndReadsRateLimitHeaders() {
        server.enqueue(MockReply.recorded("openai/llm.test_tool_use_basic.0"),
                MockReply.recorded("openai/llm.test_tool_use_basic.1"));
        ChatRequest first = ChatRequest.builder().message(Message.user("What is 1231 * 2331?"))
                .tools(List.of(MULTIPLY)).maxOutputTokens(1000).metadata(ChatRequest.TASK, "todo-1").build();

        ChatResponse turn0 = provider.stream(first, StreamListener.IGNORE);

        assertEquals(List.of(new ToolCall("call_1EYWDzueHEp8OsB8jJSEp7WB", "multiply", "{\"a\":1231,\"b\":2331}")),
                turn0.toolCalls());
        assertEquals(StopReason.TOOL_USE, turn0.stopReason());
        assertEquals(new Usage(54, 20, 0, 0), turn0.usage());
        assertEquals("gpt-4o-mini-2024-07-18", turn0.model());
        assertEquals(OptionalLong.of(29999), turn0.rateLimits().remainingRequests());
        assertEquals(OptionalLong.of(149999993), turn0.rateLimits().remainingTokens());
        assertEquals(Duration.ofMillis(2), turn0.rateLimits().requestsReset().orElseThrow());
        assertEquals(Duration.ZERO, turn0.rateLimits().tokensReset().orElseThrow());

        RecordedRequest request0 = server.takeRequest();
        assertEquals("POST", request0.method());
        assertEquals("/v1/chat/completions", request0.path());
        assertEquals("Bearer sk-test-key", request0.header("authorization").orElseThrow());
        assertEquals("application/json", request0.header("content-type").orElseThrow());
        JsonNode body0 = request0.json();
        assertEquals("gpt-4o-mini", body0.get("model").stringValue());
        assertTrue(body0.get("stream").booleanValue());
        assertTrue(body0.at("/stream_options/include_usage").booleanValue());
        assertEquals(1000, body0.get("max_completion_tokens").intValue());
        assertFalse(body0.has("metadata"), "metadata is for the caller, not the model");
        assertFalse(body0.has("max_tokens"));
        assertEquals("function", body0.at("/tools/0/type").stringValue());
        assertEquals("multiply", body0.at("/tools/0/function/name").stringValue());
        assertEquals("Multiply two numbers.", body0.at("/tools/0/function/description").stringValue());
        assertEquals("object", body0.at("/tools/0/function/parameters/type").stringValue());
        assertEquals("integer", body0.at("/tools/0/function/parameters/properties/a/type").stringValue());
        assertEquals("user", body0.at("/messages/0/role").stringValue());
        assertEquals("What is 1231 * 2331?", body0.at("/messages/0/content").stringValue());
        JsonNode recorded0 = JsonTrees.parse(Fixtures.text("openai/llm.test_tool_use_basic.0.request.json"));
        for (String field : List.of("messages", "model", "stream", "stream_options", "tools")) {
            assertEquals(recorded0.get(field), body0.get(field), field + " as the real client sent it");
        }

        ChatRequest second = first.toBuilder().message(turn0.toMessage())
                .message(new Message.ToolResult("call_1EYWDzueHEp8OsB8jJSEp7WB", "multiply", "2869461", false))
                .build();
        RecordingListener listener = new RecordingListener();
        ChatResponse turn1 = provider.stream(second, listener);

        assertEquals("The result of \\( 1231 \\times 2331 \\) is \\( 2,869,461 \\).", turn1.text());
        assertEquals(turn1.text(), listener.text.toString());
        assertEquals(List.of(), turn1.toolCalls());
        assertEquals(StopReason.END_TURN, turn1.stopReason());
        assertEquals(new Usage(87, 26, 0, 0), turn1.usage());

        JsonNode messages = server.takeRequest().json().get("messages");
        assertEquals(3, messages.size());
        assertEquals("assistant", messages.at("/1/role").stringValue());
        assertTrue(messages.at("/1/content").isNull(), "content is null when the turn is only tool calls");
        assertEquals("call_1EYWDzueHEp8OsB8jJSEp7WB", messages.at("/1/tool_calls/0/id").stringValue());
        assertEquals("function", messages.at("/1/tool_calls/0/type").stringValue());
        assertEquals("multiply", messages.at("/1/tool_calls/0/function/name").stringValue());
        assertEquals("{\"a\":1231,\"b\":2331}", messages.at("/1/tool_calls/0/function/arguments").stringValue());
        assertEquals("tool", messages.at("/2/role").stringValue());
        assertEquals("call_1EYWDzueHEp8OsB8jJSEp7WB", messages.at("/2/tool_call_id").stringValue());
        assertEquals("2869461", messages.at("/2/content").stringValue());
    }

    @Test
    void nonStreamingChainOfTwoToolCalls() {
        server.enqueue(MockReply.recorded("openai/llm.test_tool_use_chain_of_two_calls.0"),
                MockReply.recorded("openai/llm.test_tool_use_chain_of_two_calls.1"),
                MockReply.recorded("openai/llm.test_tool_use_chain_of_two_calls.2"));
        ChatRequest request = ChatRequest.builder()
                .message(Message.user("Can the country of Crumpet have dragons? Answer with only YES or NO"))
                .tools(List.of(
                        new ToolSpec("lookup_population", "Returns the current population of the specified "
                                + "fictional country", "{\"properties\":{\"country\":{\"type\":\"string\"}},"
                                + "\"required\":[\"country\"],\"type\":\"object\"}"),
                        new ToolSpec("can_have_dragons", "Returns True if the specified population can have "
                                + "dragons, False otherwise", "{\"properties\":{\"population\":{\"type\":"
                                + "\"integer\"}},\"required\":[\"population\"],\"type\":\"object\"}")))
                .build();

        ChatResponse turn0 = provider.chat(request);
        assertEquals("", turn0.text());
        assertEquals(List.of(new ToolCall("call_TTY8UFNo7rNCaOBUNtlRSvMG", "lookup_population",
                "{\"country\":\"Crumpet\"}")), turn0.toolCalls());
        assertEquals(StopReason.TOOL_USE, turn0.stopReason());
        assertEquals(new Usage(92, 17, 0, 0), turn0.usage());
        assertEquals("gpt-4o-mini-2024-07-18", turn0.model());
        assertEquals(OptionalLong.of(149999981), turn0.rateLimits().remainingTokens());
        JsonNode body0 = server.takeRequest().json();
        JsonNode recorded0 = JsonTrees.parse(
                Fixtures.text("openai/llm.test_tool_use_chain_of_two_calls.0.request.json"));
        for (String field : List.of("messages", "model", "stream", "tools")) {
            assertEquals(recorded0.get(field), body0.get(field), field + " as the real client sent it");
        }
        assertFalse(body0.has("stream_options"));

        request = request.toBuilder().message(turn0.toMessage())
                .message(new Message.ToolResult("call_TTY8UFNo7rNCaOBUNtlRSvMG", "lookup_population", "123124",
                        false)).build();
        ChatResponse turn1 = provider.chat(request);
        assertEquals(List.of(new ToolCall("call_aq9UyiSFkzX6W8Ydc33DoI9Y", "can_have_dragons",
                "{\"population\":123124}")), turn1.toolCalls());
        assertEquals(StopReason.TOOL_USE, turn1.stopReason());
        assertEquals(new Usage(118, 18, 0, 0), turn1.usage());
        server.takeRequest();

        request = request.toBuilder().message(turn1.toMessage())
                .message(new Message.ToolResult("call_aq9UyiSFkzX6W8Ydc33DoI9Y", "can_have_dragons", "true",
                        false)).build();
        ChatResponse turn2 = provider.chat(request);
        assertEquals("YES", turn2.text());
        assertEquals(List.of(), turn2.toolCalls());
        assertEquals(StopReason.END_TURN, turn2.stopReason());
        assertEquals(new Usage(146, 3, 0, 0), turn2.usage());
        JsonNode messages = server.takeRequest().json().get("messages");
        assertEquals(5, messages.size());
        assertEquals("tool", messages.at("/4/role").stringValue());
        assertEquals("true", messages.at("/4/content").stringValue());
    }

    @Test
    void cachedTokensAreTakenOutOfPromptTokens() {
        // the usage block of OpenAI's prompt caching guide: 1920 of the 2006 prompt tokens came from the cache
        server.enqueue(MockReply.json(200, """
                {"id":"chatcmpl-1","object":"chat.completion","model":"gpt-4o-2024-08-06",
                 "choices":[{"index":0,"message":{"role":"assistant","content":"ok","refusal":null},
                             "finish_reason":"stop"}],
                 "usage":{"prompt_tokens":2006,"completion_tokens":300,"total_tokens":2306,
                          "prompt_tokens_details":{"cached_tokens":1920},
                          "completion_tokens_details":{"reasoning_tokens":0}}}"""));

        ChatResponse response = provider.chat(ask("again"));

        assertEquals(new Usage(86, 300, 1920, 0), response.usage());
        assertEquals(2306, response.usage().totalTokens());
    }

    @Test
    void deepSeeksCacheHitTokensAreCachedTokens() {
        // DeepSeek's usage block: the hits and misses add up to prompt_tokens, with no prompt_tokens_details
        server.enqueue(MockReply.json(200, """
                {"id":"c1","object":"chat.completion","model":"deepseek-chat",
                 "choices":[{"index":0,"message":{"role":"assistant","content":"ok"},"finish_reason":"stop"}],
                 "usage":{"prompt_tokens":1200,"completion_tokens":40,"total_tokens":1240,
                          "prompt_cache_hit_tokens":1024,"prompt_cache_miss_tokens":176}}"""));

        assertEquals(new Usage(176, 40, 1024, 0), provider.chat(ask("again")).usage());
    }

    @Test
    void aBodyWithoutAChoiceIsATransientFailureThatSaysSoNotAnEmptyAnswer() {
        // gateways that answer 200 with {} or with no choice; read as an empty answer, the agents only said
        // "no call of write_brief" and hid that the server had sent no answer at all
        server.enqueue(MockReply.json(200, "{}"), MockReply.json(200, "{\"id\":\"c1\",\"choices\":[]}"));

        for (String body : List.of("{}", "{\"id\":\"c1\",\"choices\":[]}")) {
            LlmException thrown = assertThrows(LlmException.Transient.class, () -> provider.chat(ask("hi")));
            assertTrue(thrown.getMessage().contains("sent a response with no choice: " + body), thrown.getMessage());
            assertTrue(thrown.getMessage().contains(server.url("/v1")), thrown.getMessage());
        }
    }

    @Test
    void missingUsageChunkIsNotAnError() {
        String withoutUsage = Fixtures.text("openai/openai-python.stream-single-tool-call.sse")
                .lines().filter(line -> !line.contains("\"usage\"")).reduce("", (a, b) -> a + b + "\n");
        server.enqueue(MockReply.sse(withoutUsage));

        ChatResponse response = provider.stream(ask("weather"), StreamListener.IGNORE);

        assertEquals(Usage.ZERO, response.usage());
        assertEquals(StopReason.TOOL_USE, response.stopReason());
        assertEquals("{\"city\":\"New York City\"}", response.toolCalls().getFirst().arguments());
    }

    @Test
    void streamWithFinishReasonButNoDoneIsComplete() {
        String withoutDone = Fixtures.text("openai/openai-python.stream-finish-length.sse")
                .replace("data: [DONE]", "");
        server.enqueue(MockReply.sse(withoutDone));

        ChatResponse response = provider.stream(ask("json"), StreamListener.IGNORE);

        assertEquals(StopReason.MAX_TOKENS, response.stopReason());
        assertEquals(new Usage(79, 1, 0, 0), response.usage());
    }

    @Test
    void invalidToolCallArgumentsArePassedThroughUntouched() {
        server.enqueue(MockReply.sse("""
                data: {"id":"c","model":"m","choices":[{"index":0,"delta":{"role":"assistant","content":null,"tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"write_file","arguments":""}}]},"finish_reason":null}]}

                data: {"id":"c","model":"m","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\\"path\\": \\"a.txt\\", \\"content\\": \\"unterminated"}}]},"finish_reason":null}]}

                data: {"id":"c","model":"m","choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}

                data: [DONE]

                """));

        ChatResponse response = provider.stream(ask("write"), StreamListener.IGNORE);

        assertEquals(List.of(new ToolCall("call_1", "write_file", "{\"path\": \"a.txt\", \"content\": \"unterminated")),
                response.toolCalls());
    }

    @Test
    void requestCarriesSystemPromptSettingsAndInvalidArgumentsVerbatim() {
        server.enqueue(MockReply.recorded("openai/llm.test_tool_use_chain_of_two_calls.2"));
        try (OpenAiCompatible tuned = OpenAiCompatible.builder().baseUrl(server.url("/v1")).apiKey("sk-x")
                .parallelToolCalls(false).promptCacheKey("mission-42").header("OpenAI-Organization", "org-1")
                .build()) {
            ChatRequest request = ChatRequest.builder().model("gpt-4.1").system("You are a worker.")
                    .message(Message.user("go"))
                    .message(new Message.Assistant("", List.of(new ToolCall("call_9", "write_file", "{not json"))))
                    .message(new Message.ToolResult("call_9", "write_file", "arguments are not valid JSON", true))
                    .tools(List.of(MULTIPLY)).temperature(0.2).maxOutputTokens(256).build();

            tuned.chat(request);
        }

        RecordedRequest recorded = server.takeRequest();
        assertEquals("org-1", recorded.header("OpenAI-Organization").orElseThrow());
        JsonNode body = recorded.json();
        assertEquals("gpt-4.1", body.get("model").stringValue());
        assertEquals("system", body.at("/messages/0/role").stringValue());
        assertEquals("You are a worker.", body.at("/messages/0/content").stringValue());
        assertEquals("{not json", body.at("/messages/2/tool_calls/0/function/arguments").stringValue());
        assertEquals("arguments are not valid JSON", body.at("/messages/3/content").stringValue());
        assertFalse(body.get("parallel_tool_calls").booleanValue());
        assertEquals("mission-42", body.get("prompt_cache_key").stringValue());
        assertEquals(0.2, body.get("temperature").doubleValue());
        assertEquals(256, body.get("max_completion_tokens").intValue());
    }

    @Test
    void deepSeeksReasoningContentAndReasoningTokensAreKeptButNotSentBack() {
        // DeepSeek's reasoner: the thinking in reasoning_content, counted inside completion_tokens
        server.enqueue(MockReply.json(200, """
                {"id":"c1","object":"chat.completion","model":"deepseek-reasoner",
                 "choices":[{"index":0,"message":{"role":"assistant","content":"4",
                             "reasoning_content":"2 plus 2 is 4."},"finish_reason":"stop"}],
                 "usage":{"prompt_tokens":10,"completion_tokens":30,"total_tokens":40,
                          "completion_tokens_details":{"reasoning_tokens":25}}}"""));
        server.enqueue(MockReply.recorded("openai/llm.test_tool_use_chain_of_two_calls.2"));

        ChatResponse response = provider.chat(ask("2+2?"));
        provider.chat(ChatRequest.builder().message(Message.user("2+2?")).message(response.toMessage())
                .message(Message.user("and 3+3?")).build());

        assertEquals("4", response.text());
        assertEquals("2 plus 2 is 4.", response.reasoning());
        assertEquals(new Usage(10, 30, 0, 0, 25), response.usage());
        assertEquals(40, response.usage().totalTokens());
        server.takeRequest();
        JsonNode echoed = server.takeRequest().json().at("/messages/1");
        assertEquals("4", echoed.get("content").stringValue());
        // DeepSeek answers 400 to a reasoning_content in the input
        assertFalse(echoed.has("reasoning_content"));
        assertFalse(echoed.has("reasoning"));
    }

    @Test
    void openRoutersStreamedReasoningIsAssembledApartFromTheText() {
        server.enqueue(MockReply.sse("""
                data: {"id":"gen-1","model":"deepseek/deepseek-r1","choices":[{"index":0,"delta":{"role":"assistant","content":"","reasoning":"Two plus "},"finish_reason":null}]}

                data: {"id":"gen-1","model":"deepseek/deepseek-r1","choices":[{"index":0,"delta":{"content":"","reasoning":"two is four."},"finish_reason":null}]}

                data: {"id":"gen-1","model":"deepseek/deepseek-r1","choices":[{"index":0,"delta":{"content":"4","reasoning":null},"finish_reason":"stop"}]}

                data: {"id":"gen-1","model":"deepseek/deepseek-r1","choices":[],"usage":{"prompt_tokens":12,"completion_tokens":20,"total_tokens":32,"completion_tokens_details":{"reasoning_tokens":18}}}

                data: [DONE]

                """));
        RecordingListener listener = new RecordingListener();

        ChatResponse response = provider.stream(ask("2+2?"), listener);

        assertEquals("4", response.text());
        assertEquals("4", listener.text.toString(), "reasoning is not streamed as answer text");
        assertEquals("Two plus two is four.", response.reasoning());
        assertEquals(new Usage(12, 20, 0, 0, 18), response.usage());
    }

    @Test
    void legacyMaxTokensSatisfiesAServerThatRejectsMaxCompletionTokens() {
        // an older vLLM-style server: max_completion_tokens is an unknown field there
        server.respondWith(request -> request.json().has("max_completion_tokens")
                ? MockReply.json(400, "{\"object\":\"error\",\"message\":\"Extra inputs are not permitted: "
                        + "max_completion_tokens\",\"type\":\"BadRequestError\",\"code\":400}")
                : MockReply.recorded("openai/llm.test_tool_use_chain_of_two_calls.2"));
        ChatRequest request = ChatRequest.builder().message(Message.user("hi")).maxOutputTokens(300).build();

        assertThrows(LlmException.InvalidRequest.class, () -> provider.chat(request));
        try (OpenAiCompatible legacy = OpenAiCompatible.builder().baseUrl(server.url("/v1")).model("qwen")
                .legacyMaxTokens(true).build()) {
            assertEquals("YES", legacy.chat(request).text());
        }

        server.takeRequest();
        JsonNode accepted = server.takeRequest().json();
        assertEquals(300, accepted.get("max_tokens").intValue());
        assertFalse(accepted.has("max_completion_tokens"));
    }

    @Test
    void temperatureCanBeLeftOutForModelsThatRejectIt() {
        // OpenAI's reasoning models answer 400 to any temperature
        server.respondWith(request -> request.json().has("temperature")
                ? MockReply.json(400, "{\"error\":{\"message\":\"Unsupported parameter: 'temperature' is not "
                        + "supported with this model.\",\"type\":\"invalid_request_error\","
                        + "\"param\":\"temperature\",\"code\":\"unsupported_parameter\"}}")
                : MockReply.recorded("openai/llm.test_tool_use_chain_of_two_calls.2"));
        ChatRequest request = ChatRequest.builder().message(Message.user("hi")).temperature(0.2).build();

        assertThrows(LlmException.InvalidRequest.class, () -> provider.chat(request));
        try (OpenAiCompatible without = OpenAiCompatible.builder().baseUrl(server.url("/v1")).apiKey("sk-x")
                .sendTemperature(false).build()) {
            assertEquals("YES", without.chat(request).text());
        }
    }

    @Test
    void invalidArgumentsCanBeSentBackAsAnEmptyObjectForStrictChatTemplates() {
        // a vLLM/SGLang chat template that parses the arguments of every earlier tool call
        server.respondWith(request -> {
            for (JsonNode call : request.json().at("/messages/1/tool_calls")) {
                try {
                    JsonTrees.parse(call.at("/function/arguments").stringValue());
                } catch (RuntimeException e) {
                    return MockReply.json(400, "{\"object\":\"error\",\"message\":\"Expecting property name "
                            + "enclosed in double quotes: line 1 column 2\",\"type\":\"BadRequestError\","
                            + "\"code\":400}");
                }
            }
            return MockReply.recorded("openai/llm.test_tool_use_chain_of_two_calls.2");
        });
        ChatRequest request = ChatRequest.builder().message(Message.user("go"))
                .message(new Message.Assistant("", List.of(new ToolCall("call_9", "write_file", "{not json"),
                        new ToolCall("call_10", "read_file", "{\"path\":\"a.txt\"}"))))
                .message(new Message.ToolResult("call_9", "write_file", "the arguments are not valid JSON", true))
                .message(new Message.ToolResult("call_10", "read_file", "hello", false))
                .build();

        assertThrows(LlmException.InvalidRequest.class, () -> provider.chat(request));
        try (OpenAiCompatible lenient = OpenAiCompatible.builder().baseUrl(server.url("/v1")).model("qwen")
                .invalidArgumentsAsEmptyObject(true).build()) {
            assertEquals("YES", lenient.chat(request).text());
        }

        server.takeRequest();
        JsonNode accepted = server.takeRequest().json();
        assertEquals("{}", accepted.at("/messages/1/tool_calls/0/function/arguments").stringValue());
        assertEquals("{\"path\":\"a.txt\"}", accepted.at("/messages/1/tool_calls/1/function/arguments")
                .stringValue(), "valid arguments go back as they were");
        assertEquals("the arguments are not valid JSON", accepted.at("/messages/2/content").stringValue());
    }

    @Test
    void parallelToolCallsIsLeftOutWithoutTools() {
        server.enqueue(MockReply.recorded("openai/llm.test_tool_use_chain_of_two_calls.2"));
        try (OpenAiCompatible tuned = OpenAiCompatible.builder().baseUrl(server.url("/v1")).apiKey("sk-x")
                .parallelToolCalls(true).build()) {
            tuned.chat(ask("hi"));
        }

        JsonNode body = server.takeRequest().json();
        assertFalse(body.has("parallel_tool_calls"), "OpenAI rejects parallel_tool_calls without tools");
        assertFalse(body.has("tools"));
        assertFalse(body.has("prompt_cache_key"));
        assertFalse(body.has("temperature"));
    }

    @Test
    void localServerWithoutKeySendsNoAuthorization() {
        server.enqueue(MockReply.recorded("openai/llm.test_tool_use_chain_of_two_calls.2"));
        try (OpenAiCompatible local = OpenAiCompatible.fromEnv(Map.of(
                "OPENAI_BASE_URL", server.url("/v1"), "OPENAI_MODEL", "llama3.2"))) {
            assertEquals("llama3.2", local.defaultModel());
            assertEquals("openai-compatible:127.0.0.1:" + server.url("").substring(server.url("").lastIndexOf(':')
                    + 1), local.name());
            local.chat(ask("hi"));
        }

        RecordedRequest recorded = server.takeRequest();
        assertTrue(recorded.header("authorization").isEmpty());
        assertEquals("llama3.2", recorded.json().get("model").stringValue());
    }
}
