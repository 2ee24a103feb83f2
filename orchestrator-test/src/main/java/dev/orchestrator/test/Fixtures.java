package dev.orchestrator.test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Recorded traffic on the test class path, under {@code /fixtures/}, laid out as the project's shared fixture set
 * (a {@code .sse} body per file; a cassette as {@code <name>.<i>.response.status}, {@code .response.headers},
 * {@code .response.body} and, for a gzip body, {@code .response.body.decoded}). Serve them with
 * {@link MockReply#recorded(String)}.
 */
public final class Fixtures {

    private Fixtures() {
    }

    /**
     * {@return the bytes of the fixture at {@code path}, relative to {@code /fixtures/}}
     *
     * @param path such as {@code openai/openai-python.stream-plain-text.sse}
     * @throws IllegalArgumentException if there is no such fixture on the class path
     */
    public static byte[] bytes(String path) {
        try (InputStream in = loader().getResourceAsStream("fixtures/" + path)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture fixtures/" + path
                        + " on the class path: put it under src/test/resources/fixtures/");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * {@return the fixture at {@code path} as UTF-8 text}
     *
     * @param path relative to {@code /fixtures/}
     */
    public static String text(String path) {
        return new String(bytes(path), StandardCharsets.UTF_8);
    }

    /**
     * {@return whether the fixture exists}
     *
     * @param path relative to {@code /fixtures/}
     */
    public static boolean exists(String path) {
        return loader().getResource("fixtures/" + path) != null;
    }

    // the test's own loader first: a build tool may load the kit from a parent loader that cannot see the test's
    // resources
    private static ClassLoader loader() {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        return context != null ? context : Fixtures.class.getClassLoader();
    }
}
