package dev.orchestrator.core.internal.llm;

import dev.orchestrator.api.ChatResponse;
import dev.orchestrator.api.LlmException;
import dev.orchestrator.api.RateLimits;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The HTTP half of a provider: posts a JSON body, turns failures into {@link LlmException}s, and reads the answer
 * whole or as a stream of server-sent events. One attempt per call: retrying is the resilience layer's job, so that
 * the limiter sees every 429.
 */
public final class ProviderHttp implements AutoCloseable {

    /**
     * The least a whole answer's body is given once its headers came, though they came at the end of the request
     * timeout: time to take in a body that arrived with them.
     */
    private static final Duration MIN_BODY_WAIT = Duration.ofMillis(100);

    /** Enough of an error body to classify it; the rest is not read. */
    private static final int MAX_ERROR_BODY = 64 * 1024;

    private final URI endpoint;
    private final Map<String, String> headers;
    private final Duration requestTimeout;
    private final Duration streamIdleTimeout;
    private final HttpClient client;
    private final boolean ownsClient;
    private final InstantSource clock;
    private final ErrorClassifier errors;
    /** Whether the server has sent any response, even an error: from then on, a refused connection is a restart. */
    private volatile boolean answered;

    /**
     * @param endpoint where requests are posted
     * @param headers sent with every request, authentication included
     * @param requestTimeout how long to wait for the response headers, and for a whole (not streamed) answer
     * @param streamIdleTimeout how long a streamed answer may go without sending anything
     * @param client the client to send with
     * @param ownsClient whether {@link #close} closes the client (not when the caller injected it)
     * @param clock for the waits in rate-limit headers
     * @param errors classifies failures
     */
    public ProviderHttp(URI endpoint, Map<String, String> headers, Duration requestTimeout,
            Duration streamIdleTimeout, HttpClient client, boolean ownsClient, InstantSource clock,
            ErrorClassifier errors) {
        this.endpoint = endpoint;
        this.headers = Map.copyOf(headers);
        this.requestTimeout = requestTimeout;
        this.streamIdleTimeout = streamIdleTimeout;
        this.client = client;
        this.ownsClient = ownsClient;
        this.clock = clock;
        this.errors = errors;
    }

    /**
     * A provider's HTTP side for {@code endpoint}. With {@code injected} null it creates its own client, which
     * {@link #close} closes; plain {@code http://} servers (Ollama, llama.cpp, vLLM) get HTTP/1.1 because the
     * cleartext HTTP/2 upgrade the JDK would try first is rejected or logged as an error by some of them.
     */
    public static ProviderHttp open(URI endpoint, Map<String, String> headers, Duration connectTimeout,
            Duration requestTimeout, Duration streamIdleTimeout, HttpClient injected, InstantSource clock,
            ErrorClassifier errors) {
        if (injected != null) {
            return new ProviderHttp(endpoint, headers, requestTimeout, streamIdleTimeout, injected, false, clock,
                    errors);
        }
        HttpClient.Builder client = HttpClient.newBuilder().connectTimeout(connectTimeout);
        if (endpoint.getScheme().equals("http")) {
            client.version(HttpClient.Version.HTTP_1_1);
        }
        return new ProviderHttp(endpoint, headers, requestTimeout, streamIdleTimeout, client.build(), true, clock,
                errors);
    }

    /**
     * {@code baseUrl} with {@code path} appended, checked to be an absolute http(s) URL.
     *
     * @throws IllegalArgumentException saying what is wrong with it
     */
    public static URI endpoint(String baseUrl, String path) {
        String base = baseUrl.strip();
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        URI uri;
        try {
            uri = URI.create(base + path);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("base URL is not a URL: '" + baseUrl + "'", e);
        }
        if (uri.getRawUserInfo() != null) {
            // the JDK's client sends no credentials from a URL, and messages, names and the journal show the URL
            String user = uri.getRawUserInfo().contains(":")
                    ? uri.getRawUserInfo().substring(0, uri.getRawUserInfo().indexOf(':') + 1) + "****" : "****";
            throw new IllegalArgumentException("base URL holds credentials ('" + base.replace(uri.getRawUserInfo(),
                    user) + "'), which are never sent and would be shown in messages and the journal: remove them, "
                    + "and authenticate with the API key or a header");
        }
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
            throw new IllegalArgumentException("base URL must start with http:// or https:// and name a host, was '"
                    + baseUrl + "'");
        }
        return uri;
    }

    /** A 2xx response whose body has not been read yet, to a request sent at {@code sentAt} ({@code nanoTime}). */
    private record Reply(HttpHeaders headers, InputStream body, RateLimits rateLimits, long sentAt) {
    }

    /** Receives the events of a stream. */
    public interface StreamHandler {
        /** Handles one event; returns whether it was the last one. */
        boolean onEvent(SseEvent event);

        /**
         * Whether what arrived is a whole answer even though the last event never came (an OpenAI-compatible server
         * that sends its finish reason but no {@code [DONE]}).
         */
        boolean isComplete();

        /** What arrived so far, for the message when the stream breaks off. */
        String progress();

        /** The answer assembled from the events. */
        ChatResponse response(RateLimits rateLimits);
    }

    /**
     * Posts {@code body} and reads the whole JSON answer, which {@code isAnswer} accepts.
     *
     * @param lacking what a body {@code isAnswer} refuses lacks, for the message, such as "no choice"
     * @throws LlmException.Transient when the body is not JSON, or is JSON that {@code isAnswer} refuses (a gateway
     *     that answers 200 with {@code {}}): without the check such a body read as an empty answer, and the
     *     agents' "no call of submit_plan" hid that the server sent no answer at all
     */
    public Answer postForJson(ObjectNode body, Predicate<JsonNode> isAnswer, String lacking) {
        Reply reply = post(body);
        String text = readWithinTimeout(reply.body(), reply.sentAt(), Integer.MAX_VALUE);
        JsonNode json;
        try {
            json = JsonTrees.parse(text);
        } catch (JacksonException e) {
            throw errors.unreadable(text, e);
        }
        // some compatible servers report failures with status 200 and an error object
        if (json.get("error") != null && !json.get("error").isNull()) {
            throw errors.fromStreamError(json, reply.headers());
        }
        if (!isAnswer.test(json)) {
            throw errors.notAnAnswer(lacking, text);
        }
        return new Answer(json, reply.rateLimits());
    }

    /**
     * Up to {@code max} bytes of {@code body} (a whole answer's, or an error's), which must arrive within the
     * request timeout of {@code sentAt}, as the headers must: the JDK's timeout ends with the headers, so a server or
     * proxy that stalled part-way through a body held the call for ever, whatever the timeout and the call's
     * patience.
     *
     * @throws LlmException.Transient if the body broke off or was not in by then
     */
    private String readWithinTimeout(InputStream body, long sentAt, int max) {
        Duration left = requestTimeout.minusNanos(System.nanoTime() - sentAt);
        // never told of activity: a deadline, not an idle timeout, so a body that trickles is bounded too
        IdleWatchdog deadline = new IdleWatchdog(body, left.compareTo(MIN_BODY_WAIT) < 0 ? MIN_BODY_WAIT : left);
        try (deadline; body) {
            return new String(body.readNBytes(max), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw errors.answerBrokeOff(e, deadline.fired());
        }
    }

    /** A whole JSON answer and the limits its headers reported. */
    public record Answer(JsonNode json, RateLimits rateLimits) {
    }

    /**
     * Posts {@code body} and hands every event of the streamed answer to the handler made by {@code handlers} (which
     * gets the function that turns an in-stream error object into an exception), and returns what it assembled.
     *
     * @throws LlmException.Transient when the stream breaks off before the handler saw its last event
     */
    public ChatResponse postForStream(ObjectNode body,
            Function<Function<JsonNode, LlmException>, StreamHandler> handlers) {
        Reply reply = post(body);
        StreamHandler handler = handlers.apply(error -> errors.fromStreamError(error, reply.headers()));
        IdleWatchdog watchdog = new IdleWatchdog(reply.body(), streamIdleTimeout);
        try (watchdog; SseReader reader = new SseReader(reply.body())) {
            SseEvent event;
            while ((event = reader.next()) != null) {
                watchdog.activity();
                if (handler.onEvent(event)) {
                    return handler.response(reply.rateLimits());
                }
            }
        } catch (IOException e) {
            throw stalledOr(watchdog, errors.truncated(handler.progress(), e));
        } catch (JacksonException e) {
            throw errors.unreadable(e.getOriginalMessage(), e);
        }
        if (handler.isComplete()) {
            return handler.response(reply.rateLimits());
        }
        throw stalledOr(watchdog, errors.truncated(handler.progress(), null));
    }

    private LlmException.Transient stalledOr(IdleWatchdog watchdog, LlmException.Transient failure) {
        return watchdog.fired() ? new LlmException.Transient("the stream sent nothing for " + streamIdleTimeout
                + " and was closed; raise streamIdleTimeout if the model thinks that long in silence", 200,
                failure) : failure;
    }

    private Reply post(ObjectNode body) {
        long sentAt = System.nanoTime();
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint)
                .timeout(requestTimeout)
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(JsonTrees.MAPPER.writeValueAsBytes(body)));
        headers.forEach(request::header);
        HttpResponse<InputStream> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            answered = true;
        } catch (IOException e) {
            throw answered ? errors.fromIo(e) : errors.fromIoBeforeAnyAnswer(e, endpoint);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LlmException.Transient("interrupted while waiting for the response", 0, e);
        }
        int status = response.statusCode();
        if (status / 100 != 2) {
            String errorBody;
            try {
                errorBody = readWithinTimeout(response.body(), sentAt, MAX_ERROR_BODY);
            } catch (LlmException.Transient unread) {
                errorBody = ""; // the status says enough
            }
            throw errors.fromResponse(status, response.headers(), errorBody, endpoint);
        }
        return new Reply(response.headers(), response.body(),
                RateLimitHeaders.parse(response.headers(), clock.instant()), sentAt);
    }

    /** Closes the HTTP client if this object created it; an injected client belongs to the caller. */
    @Override
    public void close() {
        if (ownsClient) {
            client.close();
        }
    }
}
