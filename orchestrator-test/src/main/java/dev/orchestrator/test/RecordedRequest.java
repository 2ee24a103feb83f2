package dev.orchestrator.test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * One request as {@link MockLlmServer} received it.
 *
 * @param method the HTTP method
 * @param path the request path, such as {@code /v1/chat/completions}
 * @param headers the request headers
 * @param body the body as text
 * @param receivedAtNanos when it arrived, by {@link System#nanoTime()}
 */
public record RecordedRequest(String method, String path, Map<String, List<String>> headers, String body,
        long receivedAtNanos) {

    /** Copies the headers. */
    public RecordedRequest {
        headers = Map.copyOf(headers);
    }

    /**
     * {@return the first value of header {@code name}, matched without regard to case}
     *
     * @param name the header's name
     */
    public Optional<String> header(String name) {
        return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                .map(e -> e.getValue().getFirst()).findFirst();
    }

    /** {@return the body parsed as JSON} */
    public JsonNode json() {
        return Json.parse(body);
    }

    /** {@return the wire format the request was sent in, by its path} */
    public WireFormat wireFormat() {
        return path.endsWith("/messages") ? WireFormat.ANTHROPIC : WireFormat.OPENAI;
    }

    /** {@return whether the client asked for a streamed answer ({@code "stream": true})} */
    public boolean streaming() {
        return Json.parseOrString(body).path("stream").asBoolean(false);
    }

    /** {@return the names of the tools the request offers the model, in order; none when the body is not JSON} */
    public List<String> toolNames() {
        List<String> names = new ArrayList<>();
        for (JsonNode tool : Json.parseOrString(body).path("tools")) {
            // OpenAI nests the name in "function", Anthropic does not
            names.add(tool.has("function") ? tool.path("function").path("name").asString()
                    : tool.path("name").asString());
        }
        return names;
    }

    /** The two wire formats the server speaks. */
    public enum WireFormat {
        /** OpenAI's Chat Completions, spoken by most servers: any path but {@code .../messages}. */
        OPENAI,
        /** Anthropic's Messages: a path ending in {@code /messages}. */
        ANTHROPIC
    }
}
