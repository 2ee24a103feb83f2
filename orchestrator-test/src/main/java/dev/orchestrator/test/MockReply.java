package dev.orchestrator.test;

import dev.orchestrator.api.ChatRequest;
import dev.orchestrator.api.ChatResponse;
import dev.orchestrator.api.Message;
import dev.orchestrator.api.StopReason;
import dev.orchestrator.api.Usage;
import dev.orchestrator.test.RecordedRequest.WireFormat;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

/**
 * What {@link MockLlmServer} answers one request with: a model's answer written in the request's wire format
 * ({@link #text}, {@link #toolCall}), a fault as the providers send it ({@link #rateLimited}, {@link #overloaded},
 * {@link #contextLengthExceeded}, ...), recorded traffic ({@link #recorded}), or any HTTP response ({@link #json}).
 * A model's answer is streamed as server-sent events when the request asked for a stream; {@link #cutAfter} and
 * {@link #stallAfter} break any reply off part-way. Immutable.
 */
public final class MockReply {

    /** Framing and hop-by-hop headers of a recording: the server frames the body itself. */
    private static final Set<String> HOP_BY_HOP = Set.of("transfer-encoding", "content-length", "connection",
            "content-encoding", "keep-alive");

    private static final ChatRequest PLACEHOLDER = ChatRequest.builder().message(Message.user("")).build();

    private final Function<RecordedRequest, Http> render;
    private final int cutAfter;
    private final int stallAfter;
    private final boolean silent;

    private MockReply(Function<RecordedRequest, Http> render, int cutAfter, int stallAfter, boolean silent) {
        this.render = render;
        this.cutAfter = cutAfter;
        this.stallAfter = stallAfter;
        this.silent = silent;
    }

    private static MockReply rendered(Function<RecordedRequest, Http> render) {
        return new MockReply(render, -1, -1, false);
    }

    private static MockReply fixed(int status, List<Header> headers, byte[] body) {
        Http http = new Http(status, headers, body);
        return rendered(request -> http);
    }

    /**
     * {@return a JSON response}
     *
     * @param status the HTTP status
     * @param body the JSON body
     * @param headerPairs header names and values, alternating
     */
    public static MockReply json(int status, String body, String... headerPairs) {
        List<Header> headers = new ArrayList<>();
        headers.add(new Header("Content-Type", "application/json"));
        for (int i = 0; i + 1 < headerPairs.length; i += 2) {
            headers.add(new Header(headerPairs[i], headerPairs[i + 1]));
        }
        return fixed(status, headers, body.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * {@return a body of any type, such as a proxy's HTML error page; no content type when it is empty}
     *
     * @param status the HTTP status
     * @param contentType the content type, or empty for none
     * @param body the body
     */
    public static MockReply raw(int status, String contentType, String body) {
        List<Header> headers = contentType.isEmpty() ? List.of() : List.of(new Header("Content-Type", contentType));
        return fixed(status, headers, body.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * {@return an event stream served with status 200, byte for byte}
     *
     * @param body the {@code text/event-stream} body
     */
    public static MockReply sse(String body) {
        return fixed(200, List.of(new Header("Content-Type", "text/event-stream")),
                body.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A recorded response from the class path's {@code /fixtures/} (see {@link Fixtures}): a {@code .sse} file is
     * served as an event stream with status 200; any other name is a cassette interaction such as
     * {@code openai/llm.test_tool_use_basic.0}, served with its recorded status, its headers less the hop-by-hop
     * ones, and its body ({@code .response.body.decoded} when the recording was gzip).
     *
     * @param path the fixture, relative to {@code /fixtures/}
     * @return the reply
     */
    public static MockReply recorded(String path) {
        if (path.endsWith(".sse")) {
            return sse(Fixtures.text(path));
        }
        int status = Integer.parseInt(Fixtures.text(path + ".response.status").strip());
        List<Header> headers = new ArrayList<>();
        for (String line : Fixtures.text(path + ".response.headers").split("\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && !HOP_BY_HOP.contains(line.substring(0, colon).strip().toLowerCase(Locale.ROOT))) {
                headers.add(new Header(line.substring(0, colon).strip(), line.substring(colon + 1).strip()));
            }
        }
        byte[] body = Fixtures.exists(path + ".response.body.decoded") ? Fixtures.bytes(path + ".response.body.decoded")
                : Fixtures.bytes(path + ".response.body");
        return fixed(status, headers, body);
    }

    /**
     * {@return the model answering with {@code text} and ending normally}
     *
     * @param text the answer
     */
    public static MockReply text(String text) {
        return answer(new ModelAnswer(text, List.of(), false));
    }

    /**
     * {@return the model answering with {@code text} cut off by its output limit ({@code finish_reason: length},
     * {@code stop_reason: max_tokens})}
     *
     * @param text the part it wrote
     */
    public static MockReply truncated(String text) {
        return answer(new ModelAnswer(text, List.of(), true));
    }

    /**
     * {@return the model calling one tool}
     *
     * @param name the tool's name
     * @param argumentsJson its arguments as JSON text, such as {@code {"path":"A.java"}}
     */
    public static MockReply toolCall(String name, String argumentsJson) {
        return answer(new ModelAnswer("", List.of(new ModelAnswer.Call(name, argumentsJson)), false));
    }

    /**
     * {@return the model answering as {@code response} says: its text, its tool calls (with ids of the server's
     * own), whether the output limit cut it ({@link StopReason#MAX_TOKENS}) and its usage as the provider reports
     * it (OpenAI: {@code prompt_tokens} with the cache reads in {@code prompt_tokens_details.cached_tokens}, and no
     * cache writes, which count as input; Anthropic: {@code input_tokens}, {@code cache_read_input_tokens},
     * {@code cache_creation_input_tokens}); a usage of {@link Usage#ZERO} is estimated at four characters a token}
     *
     * @param response the answer, such as one of {@code ScriptedReplies}' in orchestrator-core
     */
    public static MockReply of(ChatResponse response) {
        return answer(new ModelAnswer(response.text(), response.toolCalls().stream()
                .map(call -> new ModelAnswer.Call(call.name(), call.arguments())).toList(),
                response.stopReason() == StopReason.MAX_TOKENS, response.usage()));
    }

    /**
     * {@return the model answering with what {@code scripted} gives}, for the typed answers of core's
     * {@code ScriptedReplies}: {@code MockReply.of(plan(todo("t1", "Write A.java")))}
     *
     * @param scripted a scripted answer; it is given a placeholder request, as it needs none
     */
    public static MockReply of(Function<ChatRequest, ChatResponse> scripted) {
        return of(scripted.apply(PLACEHOLDER));
    }

    /**
     * {@return the model calling tool {@code name} with arguments that are not valid JSON (cut off mid-string), as
     * small models and some servers' chat templates produce}
     *
     * @param name the tool's name
     */
    public static MockReply invalidToolJson(String name) {
        return toolCall(name, "{\"path\": \"src/Main.java\", \"content\": \"class Main {");
    }

    private static MockReply answer(ModelAnswer answer) {
        return rendered(request -> new Http(200, List.of(new Header("Content-Type", answer.contentType(request))),
                answer.render(request).getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * {@return a 429 with a {@code retry-after} of the wait in whole seconds, rounded up, and the provider's
     * rate-limit error body}
     *
     * @param retryAfter how long the client should wait
     */
    public static MockReply rateLimited(Duration retryAfter) {
        String seconds = Long.toString(wholeSeconds(retryAfter).toSeconds());
        return error(429, "requests", "rate_limit_exceeded", "rate_limit_error",
                "Rate limit reached for requests. Please try again in " + seconds + "s.", "retry-after", seconds);
    }

    /** {@code wait} in whole seconds, rounded up and at least one, as most providers say a retry-after. */
    static Duration wholeSeconds(Duration wait) {
        return Duration.ofSeconds(Math.max(1, (wait.toMillis() + 999) / 1000));
    }

    /** {@return a 529 {@code overloaded_error}, as Anthropic answers when it has no capacity} */
    public static MockReply overloaded() {
        return error(529, "overloaded_error", "overloaded", "overloaded_error", "Overloaded");
    }

    /**
     * {@return a server error with the provider's error body}
     *
     * @param status such as 500, 502 or 503
     */
    public static MockReply serverError(int status) {
        return error(status, "server_error", "server_error", "api_error",
                "The server had an error while processing your request.");
    }

    /**
     * {@return a 400 that says the prompt does not fit the model's window, in each provider's words (OpenAI's
     * {@code context_length_exceeded} "maximum context length is N tokens", Anthropic's "prompt is too long: M tokens
     * > N maximum")}
     *
     * @param window the model's window in tokens, which the error names
     */
    public static MockReply contextLengthExceeded(int window) {
        return rendered(request -> {
            long asked = Math.max(window + 1L, request.body().length() / 4);
            return request.wireFormat() == WireFormat.ANTHROPIC
                    ? errorHttp(request, 400, "", "", "invalid_request_error",
                            "prompt is too long: " + asked + " tokens > " + window + " maximum")
                    : errorHttp(request, 400, "invalid_request_error", "context_length_exceeded", "",
                            "This model's maximum context length is " + window + " tokens. However, your messages "
                                    + "resulted in " + asked + " tokens. Please reduce the length of the messages.");
        });
    }

    /** {@return no answer at all while the connection stays open, until the server closes: for timeouts} */
    public static MockReply silent() {
        return new MockReply(request -> new Http(200, List.of(), new byte[0]), -1, -1, true);
    }

    private static MockReply error(int status, String openAiType, String openAiCode, String anthropicType,
            String message, String... headerPairs) {
        return rendered(request -> {
            Http http = errorHttp(request, status, openAiType, openAiCode, anthropicType, message);
            List<Header> headers = new ArrayList<>(http.headers());
            for (int i = 0; i + 1 < headerPairs.length; i += 2) {
                headers.add(new Header(headerPairs[i], headerPairs[i + 1]));
            }
            return new Http(status, headers, http.body());
        });
    }

    private static Http errorHttp(RecordedRequest request, int status, String openAiType, String openAiCode,
            String anthropicType, String message) {
        var body = Json.object();
        if (request.wireFormat() == WireFormat.ANTHROPIC) {
            body.put("type", "error").putObject("error").put("type", anthropicType).put("message", message);
        } else {
            body.putObject("error").put("message", message).put("type", openAiType).putNull("param")
                    .put("code", openAiCode);
        }
        return new Http(status, List.of(new Header("Content-Type", "application/json")),
                Json.write(body).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * {@return this reply with only its first {@code bytes} body bytes sent before the connection closes: the client
     * sees the connection end mid-body (a cut stream)}
     *
     * @param bytes how many body bytes to send
     */
    public MockReply cutAfter(int bytes) {
        return new MockReply(render, bytes, -1, false);
    }

    /**
     * {@return this reply with only its first {@code bytes} body bytes sent, then silence on an open connection until
     * the server closes}
     *
     * @param bytes how many body bytes to send
     */
    public MockReply stallAfter(int bytes) {
        return new MockReply(render, -1, bytes, false);
    }

    Http render(RecordedRequest request) {
        return render.apply(request);
    }

    int cutAfter() {
        return cutAfter;
    }

    int stallAfter() {
        return stallAfter;
    }

    boolean isSilent() {
        return silent;
    }

    record Header(String name, String value) {
    }

    /** The response a reply comes to for one request. */
    record Http(int status, List<Header> headers, byte[] body) {
    }
}
