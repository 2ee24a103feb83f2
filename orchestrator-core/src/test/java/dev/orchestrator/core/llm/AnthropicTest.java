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
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The Anthropic provider against recorded Anthropic traffic served from 127.0.0.1. */
class AnthropicTest {

    /** One second before the resets in the recorded llm-anthropic headers. */
    private static final Instant NOW = Instant.parse("2026-02-17T23:44:10Z");

    private final MockLlmServer server = new MockLlmServer();
    private final Anthropic provider = Anthropic.builder()
            .baseUrl(server.url(""))
            .apiKey("sk-ant-test-key")
            .clock(InstantSource.fixed(NOW))
            .build();

    @AfterEach
    void stop() {
        provider.close();
        server.close();
    }

    private static ChatRequest ask(String text) {
        return ChatRequest.builder().message(Message.user(text)).build();
    }

    @Test
    void streamAssemblesTextAndToolUseIgnoringUnknownFields() {
        server.enqueue(MockReply.recorded("anthropic/anthropic-sdk-python.tool_use_response.sse"));
        RecordingListener listener = new RecordingListener();

        ChatResponse response = provider.stream(ask("weather in Paris"), listener);

        assertEquals("I'll check the current weather in Paris for you.", response.text());
        assertEquals(response.text(), listener.text.toString());
        assertEquals(List.of(new ToolCall("toolu_01NRLabsLyVHZPKxbKvkfSMn", "get_weather",
                "{\"location\": \"Paris\"}")), response.toolCalls());
        assertEquals(List.of("toolu_01NRLabsLyVHZPKxbKvkfSMn get_weather"), listener.toolCallsStarted);
        assertEquals(StopReason.TOOL_USE, response.stopReason());
        assertEquals(new Usage(377, 65, 0, 0), response.usage());
        assertEquals("claude-sonnet-4-20250514", response.model());
    }

    @Test
    void aBodyWithoutContentIsATransientFailureButAnEmptyContentIsAnAnswer() {
        server.enqueue(MockReply.json(200, "{\"id\":\"msg_1\",\"type\":\"message\"}"),
                MockReply.json(200, "{\"id\":\"msg_2\",\"type\":\"message\",\"role\":\"assistant\","
                        + "\"content\":[],\"stop_reason\":\"end_turn\",\"usage\":{\"input_tokens\":3,"
                        + "\"output_tokens\":0}}"));

        LlmException thrown = assertThrows(LlmException.Transient.class, () -> provider.chat(ask("hi")));
        ChatResponse empty = provider.chat(ask("hi"));

        assertTrue(thrown.getMessage().contains("sent a response with no content: {\"id\":\"msg_1\""),
                thrown.getMessage());
        assertEquals("", empty.text());
        assertEquals(StopReason.END_TURN, empty.stopReason());
    }

    @Test
    void toolInputCutOffByMaxTokensIsPassedThroughUntouched() {
        server.enqueue(MockReply.recorded("anthropic/anthropic-sdk-python.incomplete_partial_json_response.sse"));

        ChatResponse response = provider.stream(ask("tax guide"), StreamListener.IGNORE);

        assertEquals("I'll create a comprehensive tax guide for someone with multiple W2s and save it in a file "
                + "called taxes.txt. Let me do that for you now.", response.text());
        assertEquals(List.of(new ToolCall("toolu_01EKqbqmZrGRXy18eN7m9kvY", "make_file",
                "{\"filename\": \"taxes.txt\", \"lines_of_text\": [\n\"# COMPREHENSIVE TAX GUIDE FOR INDIVIDUALS "
                        + "WITH MULTIPLE W-2s\",\n\"\",\n\"## INTRODUCTION\",\n\"\",\n\"Filing taxes")),
                response.toolCalls());
        assertEquals(StopReason.MAX_TOKENS, response.stopReason());
        assertEquals(new Usage(450, 124, 0, 0), response.usage());
        assertEquals("claude-3-7-sonnet-20250219", response.model());
    }

    @Test
    void recordedPromptSendsDocumentedHeadersAndReadsRateLimits() {
        server.enqueue(MockReply.recorded("anthropic/llm-anthropic.test_prompt.0"));
        ChatRequest request = ChatRequest.builder().model("claude-sonnet-4-5")
                .message(Message.user("Two names for a pet pelican, be brief"))
                .maxOutputTokens(8192).temperature(1.0).metadata(ChatRequest.ROLE, "worker").build();

        ChatResponse response = provider.stream(request, StreamListener.IGNORE);

        assertEquals("- Captain\n- Scoop", response.text());
        assertEquals(List.of(), response.toolCalls());
        assertEquals(StopReason.END_TURN, response.stopReason());
        assertEquals(new Usage(17, 10, 0, 0), response.usage());
        assertEquals("claude-sonnet-4-5-20250929", response.model());
        assertEquals(OptionalLong.of(19999), response.rateLimits().remainingRequests());
        assertEquals(OptionalLong.of(2400000), response.rateLimits().remainingTokens());
        assertEquals(Duration.ofSeconds(1), response.rateLimits().requestsReset().orElseThrow());
        assertEquals(Duration.ofSeconds(1), response.rateLimits().tokensReset().orElseThrow());

        RecordedRequest recorded = server.takeRequest();
        assertEquals("POST", recorded.method());
        assertEquals("/v1/messages", recorded.path());
        assertEquals("sk-ant-test-key", recorded.header("x-api-key").orElseThrow());
        assertEquals("2023-06-01", recorded.header("anthropic-version").orElseThrow());
        assertTrue(recorded.header("authorization").isEmpty());
        JsonNode body = recorded.json();
        assertEquals("claude-sonnet-4-5", body.get("model").stringValue());
        assertEquals(8192, body.get("max_tokens").intValue());
        assertEquals(1.0, body.get("temperature").doubleValue());
        assertTrue(body.get("stream").booleanValue());
        assertFalse(body.has("system"), "no system prompt, no system blocks");
        assertFalse(body.has("tools"));
        assertFalse(body.has("metadata"));
        assertEquals("user", body.at("/messages/0/role").stringValue());
        assertEquals("text", body.at("/messages/0/content/0/type").stringValue());
        assertEquals("Two names for a pet pelican, be brief", body.at("/messages/0/content/0/text").stringValue());
        JsonNode sent = JsonTrees.parse(Fixtures.text("anthropic/llm-anthropic.test_prompt.0.request.json"));
        for (String field : List.of("max_tokens", "model", "temperature", "stream")) {
            assertEquals(sent.get(field), body.get(field), field + " as the real client sent it");
        }
    }

    @Test
    void requestPlacesCacheBreakpointsOnTheStablePrefixAndMergesToolResults() {
        server.enqueue(MockReply.recorded("anthropic/anthropic-sdk-python.tool_use_response.sse"));
        List<ToolSpec> tools = List.of(
                new ToolSpec("read_file", "Reads a file", "{\"type\":\"object\",\"properties\":{\"path\":"
                        + "{\"type\":\"string\"}},\"required\":[\"path\"]}"),
                new ToolSpec("write_file", "Writes a file", "{\"type\":\"object\"}"));
        ChatRequest request = ChatRequest.builder().system("You are a worker.").tools(tools)
                .message(Message.user("Plan: 1. read a.txt 2. write b.txt"))
                .message(new Message.Assistant("Reading both.", List.of(
                        new ToolCall("toolu_1", "read_file", "{\"path\":\"a.txt\"}"),
                        new ToolCall("toolu_2", "write_file", "{broken"))))
                .message(new Message.ToolResult("toolu_1", "read_file", "hello", false))
                .message(new Message.ToolResult("toolu_2", "write_file", "arguments are not valid JSON", true))
                .message(Message.user("Carry on."))
                .build();

        provider.stream(request, StreamListener.IGNORE);

        JsonNode body = server.takeRequest().json();
        assertEquals("read_file", body.at("/tools/0/name").stringValue());
        assertEquals("Reads a file", body.at("/tools/0/description").stringValue());
        assertEquals("string", body.at("/tools/0/input_schema/properties/path/type").stringValue());
        assertFalse(body.at("/tools/0").has("cache_control"));
        assertEquals("ephemeral", body.at("/tools/1/cache_control/type").stringValue());
        assertEquals("text", body.at("/system/0/type").stringValue());
        assertEquals("You are a worker.", body.at("/system/0/text").stringValue());
        assertEquals("ephemeral", body.at("/system/0/cache_control/type").stringValue());

        JsonNode messages = body.get("messages");
        assertEquals(4, messages.size(), "both tool results travel in one user message");
        assertEquals("ephemeral", messages.at("/0/content/0/cache_control/type").stringValue());
        assertEquals("assistant", messages.at("/1/role").stringValue());
        assertEquals("Reading both.", messages.at("/1/content/0/text").stringValue());
        assertEquals("tool_use", messages.at("/1/content/1/type").stringValue());
        assertEquals("toolu_1", messages.at("/1/content/1/id").stringValue());
        assertEquals("read_file", messages.at("/1/content/1/name").stringValue());
        assertEquals("a.txt", messages.at("/1/content/1/input/path").stringValue());
        assertTrue(messages.at("/1/content/2/input").isObject(), "input must be an object even when invalid");
        assertEquals(0, messages.at("/1/content/2/input").size());
        assertEquals("user", messages.at("/2/role").stringValue());
        assertEquals("tool_result", messages.at("/2/content/0/type").stringValue());
        assertEquals("toolu_1", messages.at("/2/content/0/tool_use_id").stringValue());
        assertEquals("hello", messages.at("/2/content/0/content").stringValue());
        assertFalse(messages.at("/2/content/0").has("is_error"));
        assertEquals("toolu_2", messages.at("/2/content/1/tool_use_id").stringValue());
        assertTrue(messages.at("/2/content/1/is_error").booleanValue());
        assertEquals("Carry on.", messages.at("/3/content/0/text").stringValue());
        assertFalse(messages.at("/1/content/2").has("cache_control"), "only the conversation's end is marked");
        assertEquals("ephemeral", messages.at("/3/content/0/cache_control/type").stringValue(),
                "the conversation so far, which the agent's next call repeats");
        assertEquals(4, body.toString().split("\"cache_control\"", -1).length - 1, "at most 4 breakpoints");
    }

    @Test
    void emptyToolInputBecomesAnEmptyObject() {
        server.enqueue(MockReply.sse("""
                event: message_start
                data: {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"claude-haiku-4-5","content":[],"stop_reason":null,"usage":{"input_tokens":12,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":1}}}

                event: content_block_start
                data: {"type":"content_block_start","index":0,"content_block":{"type":"tool_use","id":"toolu_9","name":"list_files","input":{}}}

                event: content_block_delta
                data: {"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":""}}

                event: content_block_stop
                data: {"type":"content_block_stop","index":0}

                event: message_delta
                data: {"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"output_tokens":9}}

                event: message_stop
                data: {"type":"message_stop"}
                """));

        ChatResponse response = provider.stream(ask("list"), StreamListener.IGNORE);

        assertEquals(List.of(new ToolCall("toolu_9", "list_files", "{}")), response.toolCalls());
        assertEquals(new Usage(12, 9, 0, 0), response.usage());
    }

    @Test
    void thinkingBlocksAreReasoningApartFromTheText() {
        // extended thinking: a signed thinking block before the answer, in a whole and in a streamed answer
        server.enqueue(MockReply.json(200, """
                {"id":"msg_01","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929",
                 "content":[{"type":"thinking","thinking":"The user wants a sum.","signature":"EqQBCgIYAhIM"},
                            {"type":"redacted_thinking","data":"EmwKAhgBEgy3va3pzix"},
                            {"type":"text","text":"4"}],
                 "stop_reason":"end_turn","stop_sequence":null,
                 "usage":{"input_tokens":20,"output_tokens":60}}"""));
        server.enqueue(MockReply.sse("""
                event: message_start
                data: {"type":"message_start","message":{"id":"msg_02","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929","content":[],"stop_reason":null,"usage":{"input_tokens":20,"output_tokens":1}}}

                event: content_block_start
                data: {"type":"content_block_start","index":0,"content_block":{"type":"thinking","thinking":"","signature":""}}

                event: content_block_delta
                data: {"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"The user wants "}}

                event: content_block_delta
                data: {"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"a sum."}}

                event: content_block_delta
                data: {"type":"content_block_delta","index":0,"delta":{"type":"signature_delta","signature":"EqQBCgIYAhIM"}}

                event: content_block_stop
                data: {"type":"content_block_stop","index":0}

                event: content_block_start
                data: {"type":"content_block_start","index":1,"content_block":{"type":"text","text":""}}

                event: content_block_delta
                data: {"type":"content_block_delta","index":1,"delta":{"type":"text_delta","text":"4"}}

                event: content_block_stop
                data: {"type":"content_block_stop","index":1}

                event: message_delta
                data: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":60}}

                event: message_stop
                data: {"type":"message_stop"}

                """));
        RecordingListener listener = new RecordingListener();

        ChatResponse whole = provider.chat(ask("2+2?"));
        ChatResponse streamed = provider.stream(ask("2+2?"), listener);

        for (ChatResponse response : List.of(whole, streamed)) {
            assertEquals("4", response.text());
            assertEquals("The user wants a sum.", response.reasoning());
            // Anthropic counts thinking only inside output_tokens
            assertEquals(new Usage(20, 60, 0, 0), response.usage());
            assertEquals(new Message.Assistant("4", List.of()), response.toMessage());
        }
        assertEquals("4", listener.text.toString(), "thinking is not streamed as answer text");
    }

    @Test
    void temperatureCanBeLeftOutForModelsThatRejectIt() {
        // newer Claude models answer 400 to temperature together with extended thinking
        server.respondWith(request -> request.json().has("temperature")
                ? MockReply.json(400, "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\","
                        + "\"message\":\"`temperature` may only be set to 1 when thinking is enabled.\"}}")
                : MockReply.recorded("anthropic/llm-anthropic.test_prompt.0"));
        ChatRequest request = ChatRequest.builder().message(Message.user("hi")).temperature(0.2).build();

        assertThrows(LlmException.InvalidRequest.class, () -> provider.stream(request, StreamListener.IGNORE));
        try (Anthropic without = Anthropic.builder().baseUrl(server.url("")).apiKey("sk-ant-x")
                .sendTemperature(false).build()) {
            assertFalse(without.stream(request, StreamListener.IGNORE).text().isEmpty());
        }

        assertEquals(0.2, server.takeRequest().json().get("temperature").doubleValue());
        assertFalse(server.takeRequest().json().has("temperature"));
    }

    @Test
    void nonStreamingResponseKeepsCacheCountsApart() {
        // the documented Messages response shape, with prompt-cache counts as the API reports them
        server.enqueue(MockReply.json(200, """
                {"id":"msg_01","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929",
                 "content":[{"type":"text","text":"Reading it."},
                            {"type":"tool_use","id":"toolu_01A","name":"read_file","input":{"path":"a.txt"}}],
                 "stop_reason":"tool_use","stop_sequence":null,
                 "usage":{"input_tokens":21,"cache_creation_input_tokens":1800,"cache_read_input_tokens":9000,
                          "output_tokens":40,"service_tier":"standard"}}""",
                "anthropic-ratelimit-requests-remaining", "49",
                "anthropic-ratelimit-requests-reset", "2026-02-17T23:44:40Z"));

        ChatResponse response = provider.chat(ask("read a.txt"));

        assertEquals("Reading it.", response.text());
        assertEquals(List.of(new ToolCall("toolu_01A", "read_file", "{\"path\":\"a.txt\"}")), response.toolCalls());
        assertEquals(StopReason.TOOL_USE, response.stopReason());
        assertEquals(new Usage(21, 40, 9000, 1800), response.usage());
        assertEquals("claude-sonnet-4-5-20250929", response.model());
        assertEquals(OptionalLong.of(49), response.rateLimits().remainingRequests());
        assertEquals(Duration.ofSeconds(30), response.rateLimits().requestsReset().orElseThrow());
        assertFalse(server.takeRequest().json().get("stream").booleanValue());
    }
}
