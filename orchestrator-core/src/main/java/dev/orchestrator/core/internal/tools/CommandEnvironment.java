package dev.orchestrator.core.internal.tools;

import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The environment a command gets: an allowlist of the JVM's variables, never a copy with some removed. A variable
 * not named here (a cloud credential, a token with an unusual name) simply does not reach the child.
 */
public final class CommandEnvironment {

    /** What shells, compilers and build tools need to work, and nothing that holds credentials by convention. */
    static final Set<String> ALLOWED = Set.of("PATH", "HOME", "USER", "LOGNAME", "SHELL", "LANG", "LANGUAGE", "TERM",
            "TZ", "TMPDIR", "TEMP", "TMP", "JAVA_HOME", "JDK_HOME", "MAVEN_OPTS", "MAVEN_HOME", "M2_HOME",
            "MAVEN_CONFIG", "GRADLE_HOME", "GRADLE_OPTS", "GRADLE_USER_HOME", "GOPATH", "GOROOT", "GOCACHE",
            "GOFLAGS", "CARGO_HOME", "RUSTUP_HOME", "NODE_PATH", "NVM_DIR", "PYTHONPATH", "VIRTUAL_ENV", "CC", "CXX",
            "CFLAGS", "LDFLAGS", "PKG_CONFIG_PATH", "LD_LIBRARY_PATH", "CI", "NO_COLOR");

    private CommandEnvironment() {
    }

    /** The variables of {@code jvm} that are allowed ({@link #ALLOWED}, {@code LC_*}) or named in {@code extra}. */
    public static Map<String, String> of(Map<String, String> jvm, Collection<String> extra) {
        Map<String, String> environment = new TreeMap<>();
        jvm.forEach((name, value) -> {
            if (ALLOWED.contains(name) || name.startsWith("LC_") || extra.contains(name)) {
                environment.put(name, value);
            }
        });
        return environment;
    }
}
