package dev.orchestrator.test;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * A real HTTP server on 127.0.0.1 that plays a model's API, for tests: point a provider's base URL at
 * {@link #openAiBaseUrl()} or {@link #anthropicBaseUrl()}. Each request is recorded, then answered with the next
 * {@link #enqueue queued} reply, else by the {@link #respondWith responder}; a request with neither gets a 599 that
 * says so, so that a test fails loudly instead of hanging. {@link #limitRequests} and {@link #limitTokens} put a
 * provider's quota in front: a request the bucket cannot serve gets a 429 with a {@code retry-after} and takes no
 * reply. Each exchange runs on a virtual thread of its own, so slow replies overlap as at a real server.
 *
 * <pre>{@code
 * try (MockLlmServer server = new MockLlmServer()) {
 *     server.enqueue(MockReply.toolCall("write_file", "{\"path\":\"A.txt\",\"content\":\"a\"}"),
 *             MockReply.text("done"));
 *     OpenAiCompatible provider = OpenAiCompatible.builder().baseUrl(server.openAiBaseUrl()).apiKey("test").build();
 *     ...
 *     assertEquals("write_file", server.takeRequest().toolNames().getFirst());
 * }
 * }</pre>
 */
public final class MockLlmServer implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService exchanges = Executors.newVirtualThreadPerTaskExecutor();
    private final ConcurrentLinkedQueue<MockReply> replies = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<RecordedRequest> untaken = new ConcurrentLinkedQueue<>();
    private final List<RecordedRequest> received = new CopyOnWriteArrayList<>();
    private final List<Refusal> refusals = new CopyOnWriteArrayList<>();
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile Function<RecordedRequest, MockReply> responder;
    private volatile Bucket requestBucket;
    private volatile Bucket tokenBucket;
    private volatile Function<Duration, MockReply> refusal = MockReply::rateLimited;

    /** Starts the server on a free loopback port. */
    public MockLlmServer() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("could not open a loopback port for MockLlmServer", e);
        }
        server.createContext("/", this::handle);
        server.setExecutor(exchanges);
        server.start();
    }

    /**
     * {@return {@code http://127.0.0.1:port} followed by {@code path}}
     *
     * @param path such as {@code /v1}, or empty
     */
    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** {@return the base URL for {@code OpenAiCompatible.builder().baseUrl(...)}: the server's {@code /v1}} */
    public String openAiBaseUrl() {
        return url("/v1");
    }

    /** {@return the base URL for {@code Anthropic.builder().baseUrl(...)}} */
    public String anthropicBaseUrl() {
        return url("");
    }

    /**
     * Queues replies, served in order to the next requests.
     *
     * @param more the replies
     * @return this server
     */
    public MockLlmServer enqueue(MockReply... more) {
        replies.addAll(List.of(more));
        return this;
    }

    /**
     * Answers requests with no reply queued by looking at them, as a model would: for conversations whose turns are
     * not known in advance. It is called from many threads at once.
     *
     * @param responder the reply for a request, or null for none (then a 599)
     * @return this server
     */
    public MockLlmServer respondWith(Function<RecordedRequest, MockReply> responder) {
        this.responder = responder;
        return this;
    }

    /**
     * Puts a request quota in front of the replies: a bucket that refills {@code perSecond} requests a second and
     * holds at most {@code burst}. A request it cannot serve gets a 429 whose {@code retry-after} (whole seconds,
     * rounded up) says when it could, as free-tier keys meet one.
     *
     * @param perSecond the refill rate
     * @param burst the most requests at once
     * @return this server
     */
    public MockLlmServer limitRequests(double perSecond, int burst) {
        return limitRequests(perSecond, burst, MockReply::rateLimited);
    }

    /**
     * Puts a request quota in front of the replies, as {@link #limitRequests(double, int)}, refusing with a reply
     * of the test's own (say a {@code retry-after-ms}, or {@code x-ratelimit-*} headers).
     *
     * @param perSecond the refill rate
     * @param burst the most requests at once
     * @param refusal the reply to a refused request, given the wait in whole seconds, rounded up
     * @return this server
     */
    public MockLlmServer limitRequests(double perSecond, int burst, Function<Duration, MockReply> refusal) {
        this.requestBucket = new Bucket(perSecond, burst, System::nanoTime);
        this.refusal = refusal;
        return this;
    }

    /**
     * Puts a token quota in front of the replies: each request costs its body's characters / 4 tokens, as providers
     * estimate before they count, from a bucket that refills {@code perSecond} tokens a second and holds at most
     * {@code burst}. Refusals as with {@link #limitRequests}.
     *
     * @param perSecond the refill rate in tokens
     * @param burst the most tokens at once
     * @return this server
     */
    public MockLlmServer limitTokens(double perSecond, int burst) {
        this.tokenBucket = new Bucket(perSecond, burst, System::nanoTime);
        return this;
    }

    /**
     * {@return the oldest request not yet taken}
     *
     * @throws AssertionError if there is none; a request whose call has returned is always here already
     */
    public RecordedRequest takeRequest() {
        RecordedRequest request = untaken.poll();
        if (request == null) {
            throw new AssertionError("the server received no (further) request");
        }
        return request;
    }

    /** {@return the number of requests received and not yet taken} */
    public int requestCount() {
        return untaken.size();
    }

    /** {@return every request received, in order of arrival, refused ones included} */
    public List<RecordedRequest> receivedRequests() {
        return List.copyOf(received);
    }

    /** {@return the requests a bucket refused with a 429, with the wait each was told} */
    public List<Refusal> refusals() {
        return List.copyOf(refusals);
    }

    /** Stops the server; silent and stalled replies end with it. */
    @Override
    public void close() {
        closed.countDown();
        server.stop(0);
        exchanges.close();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            RecordedRequest request = new RecordedRequest(exchange.getRequestMethod(),
                    exchange.getRequestURI().getPath(), exchange.getRequestHeaders(), body, System.nanoTime());
            received.add(request);
            untaken.add(request);
            send(exchange, reply(request).orElseGet(() -> MockReply.json(599,
                    "{\"error\":{\"message\":\"no reply queued in MockLlmServer\"}}")), request);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // expected when a reply is cut on purpose: closing a short fixed-length body fails
        }
    }

    private Optional<MockReply> reply(RecordedRequest request) {
        Optional<Duration> wait = refusal(request).map(MockReply::wholeSeconds);
        if (wait.isPresent()) {
            refusals.add(new Refusal(request, wait.get()));
            return Optional.of(refusal.apply(wait.get()));
        }
        MockReply reply = replies.poll();
        Function<RecordedRequest, MockReply> answer = responder;
        return Optional.ofNullable(reply != null || answer == null ? reply : answer.apply(request));
    }

    private Optional<Duration> refusal(RecordedRequest request) {
        Bucket requests = requestBucket;
        Bucket tokens = tokenBucket;
        Optional<Duration> wait = requests == null ? Optional.empty() : requests.take(1);
        if (wait.isEmpty() && tokens != null) {
            wait = tokens.take(Math.max(1, request.body().length() / 4.0));
        }
        return wait;
    }

    private void send(HttpExchange exchange, MockReply reply, RecordedRequest request)
            throws IOException, InterruptedException {
        if (reply.isSilent()) {
            closed.await();
            return;
        }
        MockReply.Http http = reply.render(request);
        http.headers().forEach(header -> exchange.getResponseHeaders().add(header.name(), header.value()));
        OutputStream out = exchange.getResponseBody();
        byte[] bytes = http.body();
        if (reply.stallAfter() >= 0) {
            exchange.sendResponseHeaders(http.status(), 0);
            out.write(bytes, 0, Math.min(reply.stallAfter(), bytes.length));
            out.flush();
            closed.await();
            return;
        }
        if (reply.cutAfter() >= 0) {
            // promise the whole body, send part of it and close: the client sees the connection end mid-body
            exchange.sendResponseHeaders(http.status(), bytes.length);
            out.write(bytes, 0, Math.min(reply.cutAfter(), bytes.length));
            out.flush();
            return;
        }
        exchange.sendResponseHeaders(http.status(), bytes.length == 0 ? -1 : bytes.length);
        out.write(bytes);
    }

    /**
     * A request a bucket refused.
     *
     * @param request the request
     * @param retryAfter the wait its 429 told: how long until the bucket could serve it, in whole seconds
     *     rounded up
     */
    public record Refusal(RecordedRequest request, Duration retryAfter) {
    }
}
