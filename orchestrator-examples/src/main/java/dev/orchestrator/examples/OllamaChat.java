package dev.orchestrator.examples;

import dev.orchestrator.api.ChatRequest;
import dev.orchestrator.api.ChatResponse;
import dev.orchestrator.api.LlmException;
import dev.orchestrator.api.LlmProvider;
import dev.orchestrator.api.Message;
import dev.orchestrator.api.RateLimits;
import dev.orchestrator.api.StopReason;
import dev.orchestrator.api.ToolCall;
import dev.orchestrator.api.ToolSpec;
import dev.orchestrator.api.Usage;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * An {@link LlmProvider} over an API the SDK has no provider for: Ollama's own chat API ({@code POST /api/chat}),
 * not its OpenAI-compatible one. A provider only turns a {@link ChatRequest} into the API's request and its answer
 * into a {@link ChatResponse}, and says what failed with the {@link LlmException} kind that fits: the engine does the
 * rest (the limiter, retries, the journal, budgets). It must not retry by itself.
 *
 * <p>The API's differences are the kind a provider absorbs: tool calls come without ids (this one numbers them),
 * their arguments are a JSON object rather than a string, and a tool's answer names the tool rather than the call.
 */
final class OllamaChat implements LlmProvider {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final URI endpoint;
    private final String model;
    private final HttpClient http;
    private final Duration answerTimeout;
    /** Whether the server has answered once: until then a refused connection is a wrong address, not a restart. */
    private volatile boolean answered;

    /** A provider for {@code model} on the Ollama server at {@code baseUrl}; {@code http} is closed by its owner. */
    OllamaChat(String baseUrl, String model, HttpClient http) {
        this(baseUrl, model, http, Duration.ofMinutes(10));
    }

    /** The same, giving up on an answer that has not arrived whole within {@code answerTimeout}. */
    OllamaChat(String baseUrl, String model, HttpClient http, Duration answerTimeout) {
        this.endpoint = URI.create(baseUrl.replaceAll("/+$", "") + "/api/chat");
        this.model = model;
        this.http = http;
        this.answerTimeout = answerTimeout;
    }

    @Override
    public String name() {
        return "ollama";
    }

    @Override
    public String defaultModel() {
        return model;
    }

    @Override
    public ChatResponse chat(ChatRequest request) {
        HttpResponse<String> response;
        // HttpRequest.timeout stops timing once the headers are in: a server that stalls part-way through the body
        // would hold the call for ever, so the whole answer is waited for with a timeout of its own
        CompletableFuture<HttpResponse<String>> sent = http.sendAsync(HttpRequest.newBuilder(endpoint)
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body(request)))).build(),
                HttpResponse.BodyHandlers.ofString());
        try {
            response = sent.get(answerTimeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            sent.cancel(true); // ends the exchange
            throw new LlmException.Transient("Ollama at " + endpoint + " sent no whole answer within "
                    + (answerTimeout.toSeconds() < 1 ? answerTimeout.toMillis() + " ms" : answerTimeout.toSeconds()
                    + " s"), 0, e);
        } catch (ExecutionException e) {
            throw failedSend(e.getCause());
        } catch (InterruptedException e) {
            sent.cancel(true);
            Thread.currentThread().interrupt();
            throw new LlmException.Transient("interrupted while calling Ollama at " + endpoint, 0, e);
        }
        answered = true;
        if (response.statusCode() != 200) {
            throw failure(response.statusCode(), response.body());
        }
        return answer(JSON.readTree(response.body()), request.model().orElse(model));
    }

    /** What a send that got no response means: a wrong address before the first answer, else a passing failure. */
    private LlmException failedSend(Throwable cause) {
        if (cause instanceof ConnectException && !answered) {
            // no retry finds a server that is not there: the mission ends at once and says what to fix
            return new LlmException.Unreachable("nothing answers at " + endpoint + " (" + cause + "): start Ollama "
                    + "(ollama serve), or point OLLAMA_HOST at where it listens", cause);
        }
        if (cause instanceof ConnectException) {
            return new LlmException.Transient("Ollama at " + endpoint + " refused the connection (a restart?)", 0,
                    cause);
        }
        // a cut answer may pass: the engine retries transient failures
        return new LlmException.Transient("Ollama at " + endpoint + " did not answer: " + cause.getMessage(), 0,
                cause);
    }

    /** The request body: the system prompt first, then the conversation, the tools, and the limits. */
    private ObjectNode body(ChatRequest request) {
        ObjectNode body = JSON.createObjectNode().put("model", request.model().orElse(model)).put("stream", false);
        ArrayNode messages = body.putArray("messages");
        messages.addObject().put("role", "system").put("content", request.system());
        for (Message message : request.messages()) {
            switch (message) {
                case Message.User user -> messages.addObject().put("role", "user").put("content", user.text());
                case Message.Assistant assistant -> {
                    ObjectNode turn = messages.addObject().put("role", "assistant")
                            .put("content", assistant.text());
                    ArrayNode calls = turn.putArray("tool_calls");
                    for (ToolCall call : assistant.toolCalls()) {
                        calls.addObject().putObject("function").put("name", call.name())
                                .set("arguments", JSON.readTree(call.arguments()));
                    }
                }
                case Message.ToolResult result -> messages.addObject().put("role", "tool")
                        .put("tool_name", result.toolName()).put("content", result.content());
            }
        }
        ArrayNode tools = body.putArray("tools");
        for (ToolSpec tool : request.tools()) {
            tools.addObject().put("type", "function").putObject("function").put("name", tool.name())
                    .put("description", tool.description()).set("parameters", JSON.readTree(tool.inputSchema()));
        }
        ObjectNode options = body.putObject("options").put("num_predict", request.maxOutputTokens());
        request.temperature().ifPresent(t -> options.put("temperature", t));
        return body;
    }

    private static ChatResponse answer(JsonNode body, String model) {
        JsonNode message = body.path("message");
        List<ToolCall> calls = new ArrayList<>();
        for (JsonNode call : message.path("tool_calls")) {
            JsonNode function = call.path("function");
            // Ollama gives no call ids; the engine pairs each result with its call by id, so number them
            calls.add(new ToolCall("call_" + calls.size(), function.path("name").asString(),
                    JSON.writeValueAsString(function.path("arguments"))));
        }
        StopReason stop = !calls.isEmpty() ? StopReason.TOOL_USE
                : body.path("done_reason").asString("stop").equals("length") ? StopReason.MAX_TOKENS
                : StopReason.END_TURN;
        Usage usage = Usage.of(body.path("prompt_eval_count").asLong(0), body.path("eval_count").asLong(0));
        return new ChatResponse(message.path("content").asString(""), calls, stop, usage,
                body.path("model").asString(model), RateLimits.UNKNOWN);
    }

    /** The failure as the kind the engine acts on: retried, waited for, or ending the mission with the reason. */
    private LlmException failure(int status, String body) {
        String message = "Ollama at " + endpoint + " answered HTTP " + status + ": " + body.strip();
        return switch (status) {
            case 404 -> new LlmException.InvalidRequest(message + " (is the model pulled? ollama pull " + model + ")",
                    status);
            case 429 -> new LlmException.RateLimited(message, Optional.empty(), RateLimits.UNKNOWN);
            case 400 -> new LlmException.InvalidRequest(message, status);
            default -> status >= 500 ? new LlmException.Transient(message, status, null)
                    : new LlmException.InvalidRequest(message, status);
        };
    }
}
