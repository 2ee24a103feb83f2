package dev.orchestrator.core.internal.context;

import java.util.List;
import java.util.Locale;

/**
 * How many tokens the context window of a model holds, by its name: a small table of known families, matched by
 * prefix (the first match wins, so longer prefixes come first), and a conservative default for the rest that the
 * first context-length error corrects ({@link ContextBudget#tooLong}).
 */
public final class ContextWindows {

    /** The window assumed for a model this table does not know. */
    public static final int UNKNOWN = 32_768;

    private record Family(String prefix, int tokens) {
    }

    private static final List<Family> KNOWN = List.of(
            new Family("gpt-4.1", 1_047_576),
            new Family("gpt-5", 400_000),
            new Family("gpt-4o", 128_000),
            new Family("gpt-4-turbo", 128_000),
            new Family("gpt-4", 8_192),
            new Family("gpt-3.5-turbo", 16_385),
            new Family("o1-mini", 128_000),
            new Family("o1", 200_000),
            new Family("o3", 200_000),
            new Family("o4-mini", 200_000),
            new Family("claude", 200_000),
            new Family("gemini-1.5-pro", 2_097_152),
            new Family("gemini", 1_048_576),
            new Family("deepseek", 128_000));

    private ContextWindows() {
    }

    /** The window of {@code model}, ignoring case and a provider prefix such as {@code openai/}. */
    public static int of(String model) {
        String name = model.toLowerCase(Locale.ROOT);
        name = name.substring(name.lastIndexOf('/') + 1);
        for (Family family : KNOWN) {
            if (name.startsWith(family.prefix())) {
                return family.tokens();
            }
        }
        return UNKNOWN;
    }
}
