package dev.orchestrator.core.internal.llm;

import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.strings;

import dev.orchestrator.api.ChatResponse;
import dev.orchestrator.api.RateLimits;
import dev.orchestrator.api.StreamListener;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/** Rules of stream assembly that hold however the server happens to cut its output. */
class StreamAssemblyPropertiesTest {

    @Test
    void toolArgumentsSurviveAnySplitIntoFragments() {
        qt().forAll(strings().betweenCodePoints(0x20, 0x2FFF).ofLengthBetween(0, 80), integers().between(1, 9))
                .check((arguments, step) -> {
                    OpenAiWire.Stream stream = new OpenAiWire.Stream(StreamListener.IGNORE, e -> {
                        throw new AssertionError(e);
                    });
                    stream.onEvent(chunk(fragment(0, "call_a", "a"), fragment(1, "call_b", "b")));
                    for (int from = 0; from < arguments.length(); from += step) {
                        String piece = arguments.substring(from, Math.min(arguments.length(), from + step));
                        // the two calls' fragments interleave, as parallel calls may
                        stream.onEvent(chunk(argumentsFragment(1, piece), argumentsFragment(0, piece)));
                    }
                    stream.onEvent(new SseEvent("", "[DONE]"));
                    ChatResponse response = stream.response(RateLimits.UNKNOWN);
                    String expected = arguments.isBlank() ? "{}" : arguments;
                    return response.toolCalls().size() == 2
                            && response.toolCalls().get(0).arguments().equals(expected)
                            && response.toolCalls().get(1).arguments().equals(expected);
                });
    }

    @Test
    void reasoningAndTextStayApartHoweverTheyAreCut() {
        qt().forAll(strings().betweenCodePoints(0x20, 0x2FFF).ofLengthBetween(0, 60),
                        strings().betweenCodePoints(0x20, 0x2FFF).ofLengthBetween(0, 60), integers().between(1, 9))
                .check((reasoning, text, step) -> {
                    OpenAiWire.Stream openAi = new OpenAiWire.Stream(StreamListener.IGNORE, e -> {
                        throw new AssertionError(e);
                    });
                    AnthropicWire.Stream anthropic = new AnthropicWire.Stream(StreamListener.IGNORE, e -> {
                        throw new AssertionError(e);
                    });
                    anthropic.onEvent(anthropicEvent("{\"type\":\"content_block_start\",\"index\":0,"
                            + "\"content_block\":{\"type\":\"thinking\",\"thinking\":\"\"}}"));
                    anthropic.onEvent(anthropicEvent("{\"type\":\"content_block_start\",\"index\":1,"
                            + "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}"));
                    for (int from = 0; from < Math.max(reasoning.length(), text.length()); from += step) {
                        String thought = piece(reasoning, from, step);
                        String said = piece(text, from, step);
                        // one chunk may carry a piece of both, as OpenRouter's do while the answer begins
                        ObjectNode chunk = JsonTrees.object().put("model", "m");
                        chunk.putArray("choices").addObject().put("index", 0).putObject("delta")
                                .put("reasoning", thought).put("content", said);
                        openAi.onEvent(new SseEvent("", JsonTrees.write(chunk)));
                        anthropic.onEvent(anthropicEvent(JsonTrees.write(JsonTrees.object()
                                .put("type", "content_block_delta").put("index", 0).set("delta", JsonTrees.object()
                                        .put("type", "thinking_delta").put("thinking", thought)))));
                        anthropic.onEvent(anthropicEvent(JsonTrees.write(JsonTrees.object()
                                .put("type", "content_block_delta").put("index", 1).set("delta", JsonTrees.object()
                                        .put("type", "text_delta").put("text", said)))));
                    }
                    openAi.onEvent(new SseEvent("", "[DONE]"));
                    anthropic.onEvent(anthropicEvent("{\"type\":\"message_delta\",\"delta\":"
                            + "{\"stop_reason\":\"end_turn\"}}"));
                    return List.of(openAi.response(RateLimits.UNKNOWN), anthropic.response(RateLimits.UNKNOWN))
                            .stream().allMatch(r -> r.reasoning().equals(reasoning) && r.text().equals(text));
                });
    }

    private static String piece(String whole, int from, int step) {
        return whole.substring(Math.min(whole.length(), from), Math.min(whole.length(), from + step));
    }

    private static SseEvent anthropicEvent(String data) {
        return new SseEvent("", data);
    }

    @Test
    void sseDataSurvivesEitherLineEnding() {
        qt().forAll(lists().of(strings().betweenCodePoints(0x20, 0x2FFF).ofLengthBetween(0, 30))
                        .ofSizeBetween(1, 6), integers().between(0, 1))
                .check((payloads, crlf) -> {
                    String newline = crlf == 1 ? "\r\n" : "\n";
                    StringBuilder body = new StringBuilder();
                    for (String payload : payloads) {
                        body.append("data: ").append(payload).append(newline).append(newline);
                    }
                    return read(body.toString()).equals(payloads.stream().map(p -> new SseEvent("", p)).toList());
                });
    }

    private static List<SseEvent> read(String body) {
        List<SseEvent> events = new ArrayList<>();
        try (SseReader reader = new SseReader(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)))) {
            for (SseEvent event = reader.next(); event != null; event = reader.next()) {
                events.add(event);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return events;
    }

    private static SseEvent chunk(ObjectNode... toolCalls) {
        ObjectNode chunk = JsonTrees.object().put("model", "m");
        ObjectNode delta = chunk.putArray("choices").addObject().put("index", 0).putObject("delta");
        for (ObjectNode call : toolCalls) {
            delta.withArray("tool_calls").add(call);
        }
        return new SseEvent("", JsonTrees.write(chunk));
    }

    private static ObjectNode fragment(int index, String id, String name) {
        ObjectNode call = JsonTrees.object().put("index", index).put("id", id).put("type", "function");
        call.putObject("function").put("name", name).put("arguments", "");
        return call;
    }

    private static ObjectNode argumentsFragment(int index, String piece) {
        ObjectNode call = JsonTrees.object().put("index", index);
        call.putObject("function").put("arguments", piece);
        return call;
    }
}
