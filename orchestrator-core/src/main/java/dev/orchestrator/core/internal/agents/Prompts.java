package dev.orchestrator.core.internal.agents;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The agents' prompts, kept as Markdown resources under {@code prompts/} with {@code {{name}}} placeholders. */
final class Prompts {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([a-z_]+)}}");
    private static final Map<String, String> CACHE = new ConcurrentHashMap<>();

    private Prompts() {
    }

    /** The prompt {@code name} as it is. */
    static String get(String name) {
        return CACHE.computeIfAbsent(name, Prompts::load);
    }

    /**
     * The prompt {@code name} with every placeholder replaced by its value.
     *
     * @throws IllegalArgumentException if the prompt uses a placeholder {@code values} lacks
     */
    static String render(String name, Map<String, String> values) {
        Matcher matcher = PLACEHOLDER.matcher(get(name));
        StringBuilder text = new StringBuilder();
        while (matcher.find()) {
            String value = values.get(matcher.group(1));
            if (value == null) {
                throw new IllegalArgumentException("prompt " + name + " needs a value for {{" + matcher.group(1) + "}}");
            }
            matcher.appendReplacement(text, Matcher.quoteReplacement(value));
        }
        matcher.appendTail(text);
        return text.toString();
    }

    private static String load(String name) {
        String resource = "/prompts/" + name + ".md";
        try (InputStream in = Prompts.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("prompt resource " + resource + " is missing from orchestrator-core");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read prompt resource " + resource, e);
        }
    }
}
