package dev.orchestrator.api;

import java.nio.file.Path;
import java.util.List;

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

    /** Copies the lists. */
    public CommandSandbox {
        writable = List.copyOf(writable);
        environment = List.copyOf(environment);
        secrets = List.copyOf(secrets);
    }

    /** Says how many secrets there are, never what they are. */
    @Override
    public String toString() {
        return "CommandSandbox[network=" + network + ", writable=" + writable + ", environment=" + environment + ", secrets=" + secrets.size()
                + " values]";
    }
}
