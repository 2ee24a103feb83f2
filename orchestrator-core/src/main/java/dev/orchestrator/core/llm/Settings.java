package dev.orchestrator.core.llm;

import dev.orchestrator.core.internal.llm.ProviderHttp;
import java.util.Map;
import java.util.Optional;

/** How both HTTP providers read their settings from the environment. */
final class Settings {

    private Settings() {
    }

    /** The variable's value, or empty when it is unset or blank: an exported empty key is no key. */
    static Optional<String> env(Map<String, String> env, String name) {
        return Optional.ofNullable(env.get(name)).map(String::strip).filter(v -> !v.isEmpty());
    }

    /**
     * The base URL in variable {@code name}, checked here so that its problem is told in terms of the variable:
     * whoever set it from the environment has no builder to fix.
     *
     * @param examples what to set it to instead
     */
    static Optional<String> baseUrl(Map<String, String> env, String name, String examples) {
        Optional<String> url = env(env, name);
        url.ifPresent(value -> {
            try {
                ProviderHttp.endpoint(value, "/");
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(name + " is not a usable URL (" + e.getMessage() + "): export "
                        + name + "=" + examples + ", or unset it");
            }
        });
        return url;
    }
}
