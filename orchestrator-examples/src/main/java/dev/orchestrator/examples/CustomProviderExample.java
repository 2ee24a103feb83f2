package dev.orchestrator.examples;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.orchestrator.api.LlmProvider;
import dev.orchestrator.api.Mission;
import dev.orchestrator.api.MissionResult;
import dev.orchestrator.cli.ConsoleProgress;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A mission on a provider of the user's own: {@link OllamaChat}, over Ollama's native chat API. With
 * {@code OLLAMA_HOST} set (and {@code OLLAMA_MODEL}, llama3.2 by default) it talks to that server; without, to a
 * stand-in on 127.0.0.1 that answers in the same wire format as a scripted team would, so the example runs offline.
 *
 * <pre>
 * mvn -q -B install -DskipTests &amp;&amp; mvn -q -pl orchestrator-examples exec:java \
 *     -Dexec.mainClass=dev.orchestrator.examples.CustomProviderExample
 * </pre>
 */
public final class CustomProviderExample {

    static final String GOAL = "Write notes.txt saying hello";

    private CustomProviderExample() {
    }

    /** Runs the example in a new temporary directory; exits with 2 after one line for a setting, 1 for a failure. */
    public static void main(String[] args) {
        String program = "custom provider example";
        Path workspace = Exits.configured(program, () -> Files.createTempDirectory("orchestrator-custom-provider-"));
        String host = System.getenv("OLLAMA_HOST");
        MissionResult result = Exits.configured(program, () -> {
            if (host != null && !host.isBlank()) {
                String model = System.getenv().getOrDefault("OLLAMA_MODEL", "llama3.2");
                System.out.println("Ollama at " + host + ", model " + model);
                try (HttpClient http = HttpClient.newHttpClient()) {
                    return run(workspace, new OllamaChat(host.startsWith("http") ? host : "http://" + host, model,
                            http), System.out);
                }
            }
            try (StandIn standIn = StandIn.start(); HttpClient http = HttpClient.newHttpClient()) {
                System.out.println("No OLLAMA_HOST: a stand-in on " + standIn.url() + " answers in Ollama's format");
                MissionResult offline = run(workspace, new OllamaChat(standIn.url(), "scripted", http), System.out);
                System.out.println("The stand-in answered " + standIn.answered() + " requests to /api/chat");
                return offline;
            }
        });
        Exits.exitUnlessCompleted(result);
    }

    static MissionResult run(Path workspace, LlmProvider provider, PrintStream out) {
        MissionResult result;
        // closed however the run ends: the board's heartbeat thread stops at the mission's last event, and only then
        try (ConsoleProgress board = ConsoleProgress.plain(out)) {
            result = Mission.builder().goal(GOAL).workspace(workspace).provider(provider)
                    .verifyWith("grep -qi hello notes.txt").maxIterations(3).listener(board).build().run();
        }
        out.println("Outcome: " + result.outcome() + (result.isCompleted() ? "" : " (" + result.reason() + ")"));
        return result;
    }

    /**
     * Ollama's {@code /api/chat} on a loopback port, answering as a scripted team would: each role by the tool it is
     * offered, a Worker by whether it has seen its tool's result yet. Its answers carry no call ids, as Ollama's
     * don't.
     */
    static final class StandIn implements AutoCloseable {
        private static final JsonMapper JSON = JsonMapper.builder().build();

        private final HttpServer server;
        private final AtomicInteger answered = new AtomicInteger();

        private StandIn(HttpServer server) {
            this.server = server;
        }

        static StandIn start() throws IOException {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            StandIn standIn = new StandIn(server);
            server.createContext("/api/chat", standIn::answer);
            server.start();
            return standIn;
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        int answered() {
            return answered.get();
        }

        private void answer(HttpExchange exchange) throws IOException {
            try (exchange) {
                JsonNode request = JSON.readTree(exchange.getRequestBody());
                byte[] body = JSON.writeValueAsBytes(JSON.createObjectNode().put("model", "scripted")
                        .put("done", true).put("done_reason", "stop").put("prompt_eval_count", 100)
                        .put("eval_count", 20).set("message", reply(request)));
                exchange.getResponseHeaders().add("content-type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
                answered.incrementAndGet();
            }
        }

        private static JsonNode reply(JsonNode request) {
            List<String> tools = request.path("tools").valueStream()
                    .map(tool -> tool.path("function").path("name").asString()).toList();
            boolean toolAnswered = request.path("messages").valueStream()
                    .anyMatch(message -> message.path("role").asString().equals("tool"));
            if (tools.contains("write_brief")) {
                return call("write_brief", "{\"brief\":\"One file: notes.txt, saying hello.\"}");
            }
            if (tools.contains("submit_plan")) {
                return call("submit_plan", "{\"todos\":[{\"id\":\"t1\",\"description\":\"" + GOAL + "\"}]}");
            }
            if (tools.contains("report_issues")) {
                return call("report_issues", "{\"issues\":[]}");
            }
            return toolAnswered ? JSON.createObjectNode().put("role", "assistant").put("content", "Wrote notes.txt.")
                    : call("write_file", "{\"path\":\"notes.txt\",\"content\":\"hello\\n\"}");
        }

        private static JsonNode call(String tool, String arguments) {
            var message = JSON.createObjectNode().put("role", "assistant").put("content", "");
            message.putArray("tool_calls").addObject().putObject("function").put("name", tool)
                    .set("arguments", JSON.readTree(arguments));
            return message;
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
