package dev.orchestrator.core.llm;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.orchestrator.core.internal.llm.JsonTrees;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;

/**
 * A real HTTP server on 127.0.0.1 that answers each request with the next queued reply (often a recorded fixture)
 * and records what it received. Replies are served in order, then by the {@link #respondWith responder}; a request
 * with neither gets a 599 so that the test fails loudly instead of hanging.
 */
final class LoopbackServer implements AutoCloseable {

    /** Framing and hop-by-hop headers: the server frames the body itself. */
    private static final Set<String> HOP_BY_HOP = Set.of("transfer-encoding", "content-length", "connection",
            "content-encoding", "keep-alive");

    private final HttpServer server;
    // one virtual thread per exchange, so slow replies overlap as they do at a real server
    private final ExecutorService exchanges = Executors.newVirtualThreadPerTaskExecutor();
    private final ConcurrentLinkedQueue<Reply> replies = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Recorded> requests = new ConcurrentLinkedQueue<>();
    private final CountDownLatch released = new CountDownLatch(1);
    private volatile Function<Recorded, Reply> responder;

    LoopbackServer() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.setExecutor(exchanges);
        server.start();
    }

    /** {@code http://127.0.0.1:port} followed by {@code path}. */
    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    LoopbackServer enqueue(Reply... more) {
        replies.addAll(List.of(more));
        return this;
    }

    /**
     * Answers requests with no reply queued by looking at them, as a model would: for conversations whose turns are
     * not known in advance. Calls may come from many threads at once.
     */
    LoopbackServer respondWith(Function<Recorded, Reply> responder) {
        this.responder = responder;
        return this;
    }

    /** The oldest request not yet taken; the call that made it has returned, so it is already here. */
    Recorded takeRequest() {
        Recorded request = requests.poll();
        if (request == null) {
            throw new AssertionError("the server received no (further) request");
        }
        return request;
    }

    int requestCount() {
        return requests.size();
    }

    @Override
    public void close() {
        released.countDown();
        server.stop(0);
        exchanges.close();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            Recorded request = new Recorded(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    exchange.getRequestHeaders(), new String(body, StandardCharsets.UTF_8));
            requests.add(request);
            Reply reply = replies.poll();
            if (reply == null && responder != null) {
                reply = responder.apply(request);
            }
            if (reply == null) {
                reply = Reply.json(599, "{\"error\":{\"message\":\"no reply queued in LoopbackServer\"}}");
            }
            if (reply.hang()) {
                released.await();
                return;
            }
            reply.headers().forEach(header -> exchange.getResponseHeaders().add(header.name(), header.value()));
            OutputStream out = exchange.getResponseBody();
            if (reply.stallAfter() >= 0) {
                // send part of the body, then nothing more while the connection stays open
                exchange.sendResponseHeaders(reply.status(), 0);
                out.write(reply.body(), 0, reply.stallAfter());
                out.flush();
                released.await();
                return;
            }
            if (reply.cutAfter() >= 0) {
                // promise the whole body, send part of it and close: the client sees the connection end mid-body
                exchange.sendResponseHeaders(reply.status(), reply.body().length);
                out.write(reply.body(), 0, reply.cutAfter());
                out.flush();
                return;
            }
            exchange.sendResponseHeaders(reply.status(), reply.body().length == 0 ? -1 : reply.body().length);
            out.write(reply.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // expected when a reply is cut on purpose: closing a short fixed-length body fails
        }
    }

    /** One request as received. */
    record Recorded(String method, String path, Map<String, List<String>> headers, String body) {

        Optional<String> header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().getFirst()).findFirst();
        }

        JsonNode json() {
            return JsonTrees.parse(body);
        }
    }

    record Header(String name, String value) {
    }

    /**
     * One reply.
     *
     * @param cutAfter when not negative, only this many body bytes are sent before the connection is closed
     * @param stallAfter when not negative, this many body bytes are sent, then nothing until the server closes
     * @param hang when true, no reply is sent until the server closes (for timeouts)
     */
    record Reply(int status, List<Header> headers, byte[] body, int cutAfter, int stallAfter, boolean hang) {

        static Reply json(int status, String body, String... headerPairs) {
            List<Header> headers = new ArrayList<>();
            headers.add(new Header("Content-Type", "application/json"));
            for (int i = 0; i < headerPairs.length; i += 2) {
                headers.add(new Header(headerPairs[i], headerPairs[i + 1]));
            }
            return new Reply(status, headers, body.getBytes(StandardCharsets.UTF_8), -1, -1, false);
        }

        /** A body of any type, such as a proxy's HTML error page; no content type when it is empty. */
        static Reply raw(int status, String contentType, String body) {
            List<Header> headers = contentType.isEmpty() ? List.of() : List.of(new Header("Content-Type", contentType));
            return new Reply(status, headers, body.getBytes(StandardCharsets.UTF_8), -1, -1, false);
        }

        static Reply sse(String body) {
            return new Reply(200, List.of(new Header("Content-Type", "text/event-stream")),
                    body.getBytes(StandardCharsets.UTF_8), -1, -1, false);
        }

        /** A recorded {@code .sse} body, served with status 200. */
        static Reply sseFixture(String path) {
            return sse(new String(resource(path), StandardCharsets.UTF_8));
        }

        /**
         * A recorded cassette interaction: {@code base.response.status}, {@code .headers} less the hop-by-hop ones,
         * and {@code .response.body.decoded} when the recorded body was gzip, else {@code .response.body}.
         */
        static Reply cassette(String base) {
            int status = Integer.parseInt(new String(resource(base + ".response.status"),
                    StandardCharsets.UTF_8).strip());
            List<Header> headers = new ArrayList<>();
            for (String line : new String(resource(base + ".response.headers"), StandardCharsets.UTF_8)
                    .split("\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && !HOP_BY_HOP.contains(line.substring(0, colon).strip().toLowerCase(Locale.ROOT))) {
                    headers.add(new Header(line.substring(0, colon).strip(), line.substring(colon + 1).strip()));
                }
            }
            byte[] body = exists(base + ".response.body.decoded") ? resource(base + ".response.body.decoded")
                    : resource(base + ".response.body");
            return new Reply(status, headers, body, -1, -1, false);
        }

        static Reply hanging() {
            return new Reply(200, List.of(), new byte[0], -1, -1, true);
        }

        /** This reply with only its first {@code bytes} body bytes sent before the connection closes. */
        Reply cutAfter(int bytes) {
            return new Reply(status, headers, body, bytes, -1, false);
        }

        /** This reply with only its first {@code bytes} body bytes sent, and then silence on an open connection. */
        Reply stallAfter(int bytes) {
            return new Reply(status, headers, body, -1, bytes, false);
        }
    }

    static byte[] resource(String path) {
        try (InputStream in = LoopbackServer.class.getResourceAsStream("/fixtures/" + path)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String text(String path) {
        return new String(resource(path), StandardCharsets.UTF_8);
    }

    private static boolean exists(String path) {
        return LoopbackServer.class.getResource("/fixtures/" + path) != null;
    }
}
