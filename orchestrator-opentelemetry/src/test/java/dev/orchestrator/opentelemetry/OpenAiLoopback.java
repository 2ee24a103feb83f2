package dev.orchestrator.opentelemetry;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * An OpenAI-compatible server on 127.0.0.1 that plays a whole one-todo mission (brief, plan, one file written,
 * a clean review), answering by the tools each request offers; its first request gets a 429 with a short
 * {@code retry-after-ms}. {@link #refusingEveryKey()} plays a server that refuses the API key instead.
 */
final class OpenAiLoopback implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();
    private final boolean refusesTheKey;

    OpenAiLoopback() {
        this(false);
    }

    /** A server that answers every request 401, as OpenAI does to a wrong API key. */
    static OpenAiLoopback refusingEveryKey() {
        return new OpenAiLoopback(true);
    }

    private OpenAiLoopback(boolean refusesTheKey) {
        this.refusesTheKey = refusesTheKey;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    int requests() {
        return requests.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        JsonNode body = JSON.readTree(exchange.getRequestBody().readAllBytes());
        if (refusesTheKey) {
            requests.incrementAndGet();
            send(exchange, 401, "{\"error\":{\"message\":\"Incorrect API key provided: sk-test.\","
                    + "\"type\":\"invalid_request_error\",\"code\":\"invalid_api_key\"}}");
            return;
        }
        if (requests.incrementAndGet() == 1) {
            exchange.getResponseHeaders().add("retry-after-ms", "20");
            send(exchange, 429, "{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"requests\","
                    + "\"code\":\"rate_limit_exceeded\"}}");
            return;
        }
        Map<String, Object> message;
        if (offers(body, "write_brief")) {
            message = toolCall("write_brief", "{\"brief\":\"One file, A.txt.\"}");
        } else if (offers(body, "submit_plan")) {
            message = toolCall("submit_plan", "{\"todos\":[{\"id\":\"t1\",\"description\":\"Write A.txt\","
                    + "\"files\":[\"A.txt\"]}]}");
        } else if (offers(body, "report_issues")) {
            message = toolCall("report_issues", "{\"issues\":[]}");
        } else if (body.path("messages").size() <= 2) {
            message = toolCall("write_file", "{\"path\":\"A.txt\",\"content\":\"a\\n\"}");
        } else {
            message = Map.of("role", "assistant", "content", "A.txt is written.");
        }
        String finish = message.containsKey("tool_calls") ? "tool_calls" : "stop";
        send(exchange, 200, JSON.writeValueAsString(Map.of("id", "chatcmpl-" + requests.get(),
                "object", "chat.completion", "model", "gpt-4o-mini-2024-07-18",
                "choices", java.util.List.of(Map.of("index", 0, "message", message, "finish_reason", finish)),
                "usage", Map.of("prompt_tokens", 120, "completion_tokens", 10, "total_tokens", 130,
                        "prompt_tokens_details", Map.of("cached_tokens", 20)))));
    }

    private static Map<String, Object> toolCall(String name, String arguments) {
        return Map.of("role", "assistant", "tool_calls", java.util.List.of(Map.of("id", "call_" + name,
                "type", "function", "function", Map.of("name", name, "arguments", arguments))));
    }

    private static boolean offers(JsonNode body, String tool) {
        for (JsonNode spec : body.path("tools")) {
            if (tool.equals(spec.at("/function/name").asString())) {
                return true;
            }
        }
        return false;
    }

    private static void send(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("content-type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (var out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
