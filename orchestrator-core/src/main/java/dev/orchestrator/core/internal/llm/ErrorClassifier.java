package dev.orchestrator.core.internal.llm;

import dev.orchestrator.api.LlmException;
import dev.orchestrator.core.internal.log.Durations;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import tools.jackson.databind.JsonNode;

/**
 * Turns a failed call into the {@link LlmException} subtype that says what to do about it, from the status, the
 * error body (OpenAI, Anthropic, llama.cpp, Ollama and gateway shapes) and the headers.
 *
 * <p>Every message passes through {@link #redact}: a server may echo the key back (a proxy's "invalid key sk-..."),
 * and messages end up in logs and the journal.
 */
public final class ErrorClassifier {

    private static final String REJECTED_AS_SENT = "; the request is rejected as sent: check the model name and "
            + "settings";

    private static final int MAX_DETAIL = 400;

    private final String server;
    private final String keyVariable;
    private final BaseUrl baseUrl;
    private final String secret;
    private final String connectTimeout;
    private final String requestTimeout;
    private final String requestTimeoutSetting;
    private final InstantSource clock;

    /**
     * The provider's timeouts, which messages name when a call took longer.
     *
     * @param connect how long a connection may take
     * @param request how long a response may take to begin, and a whole (not streamed) answer to arrive
     * @param requestSetting how messages name the setting of {@code request}, such as
     *     {@code OpenAiCompatible.Builder.requestTimeout(...)}
     */
    public record Timeouts(Duration connect, Duration request, String requestSetting) {
    }

    /**
     * @param server how messages name the other end, such as {@code Anthropic at https://api.anthropic.com}
     * @param keyVariable the environment variable that holds the key, named in authentication failures
     * @param baseUrl how messages name the setting of the base URL, named when the server is unreachable or has no
     *     API at the address, and what a right one looks like
     * @param secret the API key to scrub from every message, empty for none
     * @param timeouts the provider's timeouts, named when a call took longer
     * @param clock turns {@code retry-after} dates into waits
     */
    public ErrorClassifier(String server, String keyVariable, BaseUrl baseUrl, String secret, Timeouts timeouts,
            InstantSource clock) {
        this.server = server;
        this.keyVariable = keyVariable;
        this.baseUrl = baseUrl;
        this.secret = secret;
        this.connectTimeout = setting(timeouts.connect());
        this.requestTimeout = setting(timeouts.request());
        this.requestTimeoutSetting = timeouts.requestSetting();
        this.clock = clock;
    }

    /** A timeout as the user set it: one under a second in milliseconds, which "1 s" would misstate. */
    private static String setting(Duration timeout) {
        return timeout.compareTo(Duration.ofSeconds(1)) < 0 ? timeout.toMillis() + " ms" : Durations.words(timeout);
    }

    /**
     * How messages name the setting of the base URL, and what a right one looks like.
     *
     * @param setting such as {@code OPENAI_BASE_URL or OpenAiCompatible.Builder.baseUrl(...)}
     * @param shape said when no API answers at the address, such as {@code the whole base URL as the server documents
     *     it, e.g. ending in /v1 for most OpenAI-compatible servers}
     */
    public record BaseUrl(String setting, String shape) {
    }

    /** The failure for a response with a non-2xx {@code status} to a request to {@code endpoint}. */
    public LlmException fromResponse(int status, HttpHeaders headers, String body, URI endpoint) {
        JsonNode json = JsonTrees.parseOrNull(body);
        ErrorBody error = ErrorBody.of(json, body);
        if ((status == 404 || status == 405) && (json == null || !json.isObject() || isNoSuchPath(error))) {
            // a web server's own "404 page not found", or the API's for a path it does not have: the base URL is
            // wrong (Ollama's without /v1, Anthropic's with it), which "check the model name" sent users looking in
            // the wrong place
            String quoted = json == null || !json.isObject() ? body : error.message();
            return new LlmException.InvalidRequest(redact(server + " answered HTTP " + status) + ": "
                    + shorten(redact(quoted)) + "; no API answers at " + endpoint + ": check " + baseUrl.setting()
                    + " (" + baseUrl.shape() + ")", status);
        }
        return classify(status, headers, error);
    }

    /**
     * Whether the API's own error says the path does not exist: Anthropic's {@code not_found_error} "Not Found" (an
     * unknown model says "model: ..."), OpenAI's "Invalid URL (POST /v1/v1/chat/completions)".
     */
    private static boolean isNoSuchPath(ErrorBody error) {
        return error.message().strip().equalsIgnoreCase("not found") || error.message().startsWith("Invalid URL");
    }

    /**
     * The failure for an error object that arrived inside a stream whose status was 200 (Anthropic's
     * {@code event: error}, OpenAI-compatible {@code data: {"error": ...}}). The status comes from the error itself.
     */
    public LlmException fromStreamError(JsonNode event, HttpHeaders headers) {
        ErrorBody error = ErrorBody.of(event, JsonTrees.write(event));
        return classify(error.statusHint(), headers, error);
    }

    /**
     * {@code failure}, classified from an error event that came after the stream had started with status 200, told
     * as what it is: the answer broke off part-way, after {@code progress}. Its kind stays the error's own (a
     * passing overload is still retried), but a request the server had accepted was not "rejected as sent".
     */
    public static LlmException afterStart(LlmException failure, String progress) {
        String message = failure.getMessage().replace(REJECTED_AS_SENT, "").replaceFirst(" answered HTTP (\\d+)",
                " broke off its streamed answer after " + Matcher.quoteReplacement(progress) + " with error $1");
        return failure.withMessage(message);
    }

    /** The failure for a call that got no complete response: a timeout, a refused or reset connection. */
    public LlmException.Transient fromIo(IOException e) {
        String message = switch (e) {
            case HttpConnectTimeoutException t -> "could not connect to " + server + " within the connect timeout "
                    + "of " + connectTimeout;
            case HttpTimeoutException t -> "no response from " + server + " within the request timeout of "
                    + requestTimeout + ": it took the call and did not answer; if its answers take longer, raise "
                    + "the request timeout (" + requestTimeoutSetting + ")";
            case ConnectException c -> "could not connect to " + server + ": is it running and is the base URL right?";
            default -> "the connection to " + server + " failed: " + e;
        };
        return new LlmException.Transient(redact(message), 0, e);
    }

    /**
     * The failure for a call to {@code endpoint} that got no response, when the server has never answered this
     * provider: if its host name does not resolve, or nothing listens at its loopback address, the base URL is
     * wrong or the local server not started, and no retry fixes that ({@link LlmException.Unreachable}). Anything
     * else, and any failure once it has answered (a restart), is {@link #fromIo transient}.
     */
    public LlmException fromIoBeforeAnyAnswer(IOException e, URI endpoint) {
        String host = endpoint.getHost();
        String why;
        if (causes(e, UnresolvedAddressException.class) || causes(e, UnknownHostException.class)) {
            why = "the host name " + host + " does not resolve";
        } else if (e instanceof ConnectException && isLoopback(host)) {
            why = "nothing listens at " + endpoint.getAuthority() + " (connection refused)";
        } else {
            return fromIo(e);
        }
        return new LlmException.Unreachable(redact(server + " cannot be reached: " + why + ", and it has not "
                + "answered once; start the server, or point " + baseUrl.setting() + " at where it listens"), e);
    }

    private static boolean causes(Throwable failure, Class<? extends Throwable> kind) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (kind.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code host} is this machine: the name was resolved for the connection, so this is no new lookup. */
    private static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /**
     * The failure for a whole (not streamed) answer whose body broke off after its headers came: the read's
     * failure {@code e}, or, if {@code timedOut}, the request timeout ran out while the body was still coming.
     */
    public LlmException.Transient answerBrokeOff(IOException e, boolean timedOut) {
        String message = timedOut
                ? "the answer from " + server + " did not arrive whole within the request timeout of "
                        + requestTimeout + ": it began and then stalled; if its answers take longer, raise the request "
                        + "timeout (" + requestTimeoutSetting + ")"
                : "the answer from " + server + " broke off before it was complete: " + e;
        return new LlmException.Transient(redact(message), 200, e);
    }

    /**
     * The failure for a stream that ended before its last event, as when a proxy cuts a long answer: cleanly, or
     * with {@code cause}, the read's failure (null for none).
     */
    public LlmException.Transient truncated(String lastSeen, IOException cause) {
        return new LlmException.Transient(redact("the stream from " + server + " broke off before it was complete ("
                + lastSeen + (cause == null ? "" : ": " + cause) + ")"), 200, cause);
    }

    /** The failure for a 2xx body that is not the JSON the API promises. */
    public LlmException.Transient unreadable(String body, RuntimeException cause) {
        return new LlmException.Transient(redact(server + " sent a response that is not valid JSON: ")
                + shorten(redact(body)), 200, cause);
    }

    /** The failure for a 2xx body that is JSON but not an answer: {@code lacking} says what it lacks. */
    public LlmException.Transient notAnAnswer(String lacking, String body) {
        return new LlmException.Transient(redact(server + " sent a response with " + lacking + ": ")
                + shorten(redact(body)), 200, null);
    }

    /** {@code text} with the API key replaced, so that it can go into an exception or a log line. */
    public String redact(String text) {
        return secret.isEmpty() ? text : text.replace(secret, "[redacted]");
    }

    private LlmException classify(int status, HttpHeaders headers, ErrorBody error) {
        // redact before shortening: a cut could otherwise leave half a key that no longer matches
        String what = redact(server + " answered HTTP " + status + error.label())
                + (error.message().isBlank() ? "" : ": " + shorten(redact(error.message())));
        if (status == 429) {
            if (error.is("insufficient_quota")) {
                return new LlmException.QuotaExhausted(what + "; add credit or raise the quota in the provider's "
                        + "billing settings, waiting will not help", status);
            }
            Optional<Duration> retryAfter = RateLimitHeaders.retryAfter(headers, clock.instant());
            String wait = retryAfter.map(d -> "; retry after " + d.toMillis() + " ms").orElse("");
            return new LlmException.RateLimited(what + wait, retryAfter,
                    RateLimitHeaders.parse(headers, clock.instant()));
        }
        if (status == 529 || status == 503 || error.is("overloaded_error")) {
            return new LlmException.Overloaded(what, status,
                    RateLimitHeaders.retryAfter(headers, clock.instant()));
        }
        if (status == 401 || status == 403) {
            return new LlmException.AuthenticationFailed(what + "; check " + keyVariable
                    + " or the key passed to the builder", status);
        }
        if (status == 402 || error.mentions("credit balance is too low")) {
            return new LlmException.QuotaExhausted(what + "; add credit in the provider's billing settings",
                    status);
        }
        if (status == 408 || status == 409 || status >= 500) {
            return new LlmException.Transient(what, status, null);
        }
        if (error.isContextLength()) {
            return new LlmException.ContextLengthExceeded(what + "; shorten the conversation and retry", status);
        }
        if (error.mentions("does not support tools")) {
            // Ollama's answer for a model whose template has no tool calls: no setting of the request helps
            return new LlmException.InvalidRequest(what + "; the agents answer and work through tool calls, so the "
                    + "model must support them: pick one that does (on Ollama, one tagged \"tools\", such as "
                    + "llama3.1 or qwen2.5)", status);
        }
        if (status >= 400) {
            return new LlmException.InvalidRequest(what + REJECTED_AS_SENT, status);
        }
        return new LlmException.InvalidRequest(what + "; unexpected status, check the base URL", status);
    }

    private static String shorten(String text) {
        String oneLine = text.strip().replaceAll("\\s+", " ");
        return oneLine.length() <= MAX_DETAIL ? oneLine : oneLine.substring(0, MAX_DETAIL) + "...";
    }

    /** The fields every error shape has in some form. {@code code} may be a string or a number on the wire. */
    private record ErrorBody(String type, String code, String message) {

        static ErrorBody of(JsonNode root, String raw) {
            if (root == null || !root.isObject()) {
                return new ErrorBody("", "", raw);
            }
            JsonNode error = root.get("error");
            if (error != null && error.isString()) {
                return new ErrorBody("", "", error.stringValue());
            }
            JsonNode source = error != null && error.isObject() ? error : root;
            JsonNode code = source.get("code");
            String codeText = code == null || code.isNull() ? "" : code.isString() ? code.stringValue()
                    : code.toString();
            String message = JsonTrees.text(source, "message");
            return new ErrorBody(JsonTrees.text(source, "type"), codeText, message.isEmpty() ? raw : message);
        }

        /** The status an in-stream error would have had as a response: a numeric code, else its type. */
        int statusHint() {
            if (code.matches("[1-5]\\d\\d")) {
                return Integer.parseInt(code);
            }
            return switch (type.isEmpty() ? code : type) {
                case "rate_limit_error", "rate_limit_exceeded", "insufficient_quota" -> 429;
                case "overloaded_error" -> 529;
                case "authentication_error" -> 401;
                case "permission_error" -> 403;
                case "not_found_error" -> 404;
                case "request_too_large" -> 413;
                case "invalid_request_error", "exceed_context_size_error", "context_length_exceeded" -> 400;
                default -> 500;
            };
        }

        boolean is(String value) {
            return type.equals(value) || code.equals(value);
        }

        boolean mentions(String phrase) {
            return message.toLowerCase(Locale.ROOT).contains(phrase);
        }

        boolean isContextLength() {
            return is("context_length_exceeded") || is("exceed_context_size_error")
                    || mentions("prompt is too long") || mentions("maximum context length")
                    || mentions("context length") || mentions("context window");
        }

        String label() {
            // a numeric code is the status, shown already; one of them when the other is empty or says the same
            // (OpenAI's insufficient_quota is both)
            String named = code.matches("[1-5]\\d\\d") ? "" : code;
            String kind = type.isEmpty() || type.equals(named) ? named : named.isEmpty() ? type : type + ", " + named;
            return kind.isEmpty() ? "" : " (" + kind + ")";
        }
    }
}
