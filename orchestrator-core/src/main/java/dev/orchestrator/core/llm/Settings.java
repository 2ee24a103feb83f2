package dev.orchestrator.core.llm;

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

}
