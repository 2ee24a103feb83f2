package dev.orchestrator.core.internal.agents;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The agents' prompts, kept as Markdown resources under {@code prompts/} with {@code {{name}}} placeholders. */
final class Prompts {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([a-z_]+)}}");
    private static final Map<String, Template> CACHE = new ConcurrentHashMap<>();

    private Prompts() {
    }

    /** The prompt {@code name} as it is. */
    static String get(String name) {
        return template(name).text();
    }

    /**
     * The prompt {@code name} with every placeholder replaced by its value.
     *
     * @throws IllegalArgumentException if the prompt uses a placeholder {@code values} lacks
     */
    static String render(String name, Map<String, String> values) {
        return template(name).render(name, values);
    }

    private static Template template(String name) {
        // a plain read first: every task renders its prompt, and computeIfAbsent costs more on a hit
        Template known = CACHE.get(name);
        return known != null ? known : CACHE.computeIfAbsent(name, n -> Template.of(load(n)));
    }

    /**
     * A prompt split once at its placeholders, so that rendering it (once per task: a fan-out renders thousands)
     * only joins strings.
     *
     * @param text the prompt as it is
     * @param literals the text around the placeholders: one more than {@code names}
     * @param names the placeholders' names, in order
     */
    private record Template(String text, List<String> literals, List<String> names) {

        static Template of(String text) {
            List<String> literals = new ArrayList<>();
            List<String> names = new ArrayList<>();
            Matcher matcher = PLACEHOLDER.matcher(text);
            int end = 0;
            while (matcher.find()) {
                literals.add(text.substring(end, matcher.start()));
                names.add(matcher.group(1));
                end = matcher.end();
            }
            literals.add(text.substring(end));
            return new Template(text, List.copyOf(literals), List.copyOf(names));
        }

        String render(String name, Map<String, String> values) {
            // joined at once: String.join sizes the prompt exactly and builds it without the copy a builder's
            // toString makes, where a builder sized by guess allocated about twice the prompt for every task
            String[] parts = new String[2 * names.size() + 1];
            for (int i = 0; i < names.size(); i++) {
                String value = values.get(names.get(i));
                if (value == null) {
                    throw new IllegalArgumentException("prompt " + name + " needs a value for {{" + names.get(i)
                            + "}}");
                }
                parts[2 * i] = literals.get(i);
                parts[2 * i + 1] = value;
            }
            parts[parts.length - 1] = literals.getLast();
            return String.join("", parts);
        }
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
