package dev.orchestrator.api;

import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * How the mission runs shell commands (the Workers' {@code run_command} and the verify command) and what they and
 * the model may see.
 *
 * <p>On Linux with bubblewrap ({@code bwrap}, Debian/Ubuntu package {@code bubblewrap}) installed and usable, every
 * command runs in a sandbox: the file system read-only except the workspace, a private {@code /tmp}, no network
 * unless {@link #network()}, its own process namespace, ended with the JVM. Elsewhere commands run unsandboxed and
 * the mission says so once, as a {@link MissionEvent.AgentNote} from the role {@code "sandbox"}.
 *
 * <p>Either way a command's environment holds only an allowlist of variables ({@code PATH}, {@code HOME},
 * {@code LANG}, {@code LC_*}, {@code TERM}, {@code JAVA_HOME}, {@code MAVEN_OPTS}, {@code TMPDIR} and a few more
 * build tools read) plus {@link #environment()}; and the values of every credential the mission knows (the
 * provider's key, the values of the JVM's environment variables whose names look secret, and {@link #secrets()})
 * are replaced by {@code [redacted]} in every tool output before it reaches the model, the journal or events.
 *
 * @param network whether commands may use the network (sandboxed commands only; false by default)
 * @param writable directories outside the workspace that sandboxed commands may change, such as a build tool's
 *     cache ({@code ~/.m2}) when a build must download into it
 * @param environment names of further environment variables passed to commands
 * @param secrets further values to redact from tool output
 */
public record CommandSandbox(boolean network, List<Path> writable, List<String> environment, List<String> secrets) {

    /** What shells, compilers and build tools need to work, and nothing that holds credentials by convention. */
    private static final Set<String> ALLOWED = Set.of("PATH", "HOME", "USER", "LOGNAME", "SHELL", "LANG", "LANGUAGE",
            "TERM", "TZ", "TMPDIR", "TEMP", "TMP", "JAVA_HOME", "JDK_HOME", "MAVEN_OPTS", "MAVEN_HOME", "M2_HOME",
            "MAVEN_CONFIG", "GRADLE_HOME", "GRADLE_OPTS", "GRADLE_USER_HOME", "GOPATH", "GOROOT", "GOCACHE",
            "GOFLAGS", "CARGO_HOME", "RUSTUP_HOME", "NODE_PATH", "NVM_DIR", "PYTHONPATH", "VIRTUAL_ENV", "CC", "CXX",
            "CFLAGS", "LDFLAGS", "PKG_CONFIG_PATH", "LD_LIBRARY_PATH", "CI", "NO_COLOR");

    /** Names of variables, settings and headers that hold credentials by convention. */
    private static final Pattern SECRET_NAME = Pattern.compile(
            ".*(_KEY|KEY_|-KEY|KEY-|APIKEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL|PRIVATE|AUTH).*|AWS_.*|.*_PAT");

    /** Copies the lists. */
    public CommandSandbox {
        writable = List.copyOf(writable);
        environment = List.copyOf(environment);
        secrets = List.copyOf(secrets);
    }

    /**
     * The environment a process the mission starts gets (a command, an MCP server): the variables of {@code jvm}
     * that are on the allowlist or named in {@code names}, never a copy with some removed. A variable not named
     * (a cloud credential, a token with an unusual name) simply does not reach the child.
     *
     * @param jvm the JVM's environment, {@code System.getenv()}
     * @param names further variables to pass, such as {@link #environment()}
     * @return the child's environment
     */
    public static Map<String, String> childEnvironment(Map<String, String> jvm, Collection<String> names) {
        Map<String, String> environment = new TreeMap<>();
        jvm.forEach((name, value) -> {
            if (ALLOWED.contains(name) || name.startsWith("LC_") || names.contains(name)) {
                environment.put(name, value);
            }
        });
        return environment;
    }

    /**
     * Whether {@code name}, of an environment variable, a setting or an HTTP header, says its value is a credential
     * ({@code OPENAI_API_KEY}, {@code GITHUB_TOKEN}, {@code DB_PASSWORD}, {@code Authorization}, {@code AWS_*}, ...):
     * the values a mission redacts without being told.
     *
     * @param name the name, in any case
     * @return whether its value is treated as a secret
     */
    public static boolean looksSecret(String name) {
        return SECRET_NAME.matcher(name.toUpperCase(Locale.ROOT)).matches();
    }

    /** Says how many secrets there are, never what they are. */
    @Override
    public String toString() {
        return "CommandSandbox[network=" + network + ", writable=" + writable + ", environment=" + environment + ", secrets=" + secrets.size()
                + " values]";
    }
}
