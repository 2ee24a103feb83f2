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

    static void checkTimeouts(Duration connectTimeout, Duration requestTimeout, Duration streamIdleTimeout) {
        checkPositive("connectTimeout", connectTimeout);
        checkPositive("requestTimeout", requestTimeout);
        checkPositive("streamIdleTimeout", streamIdleTimeout);
    }

    private static void checkPositive(String name, Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalStateException(name + " must be positive, was " + timeout);
        }
    }
}
