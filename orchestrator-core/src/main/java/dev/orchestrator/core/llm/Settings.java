package dev.orchestrator.core.llm;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** Checks both HTTP providers apply to their settings. */
final class Settings {

    private Settings() {
    }

    /** The variable's value, or empty when it is unset or blank: an exported empty key is no key. */
    static Optional<String> env(Map<String, String> env, String name) {
        return Optional.ofNullable(env.get(name)).map(String::strip).filter(v -> !v.isEmpty());
    }

    static void checkTimeouts(Duration connectTimeout, Duration requestTimeout) {
        if (connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw new IllegalStateException("connectTimeout must be positive, was " + connectTimeout);
        }
        if (requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalStateException("requestTimeout must be positive, was " + requestTimeout);
        }
    }
}
