package dev.orchestrator.core.internal.tools;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Runs commands under bubblewrap ({@code bwrap}): the root file system read-only, the workspace read-write (the
 * journal inside it read-only), the user's credential stores hidden ({@link CredentialStores}), a private
 * {@code /tmp} (and {@code /run} without network), {@code /proc} of a new PID namespace (so
 * {@code /proc/$PPID} is the sandbox's own init, not the JVM), no network unless allowed, no controlling terminal
 * (no terminal injection), and {@code --die-with-parent}, so the whole tree ends when the thread that started it
 * (the runner's launcher thread, which lives as long as the mission) or the JVM dies; a command runs only once that
 * holds ({@link #awaitReady}).
 */
public final class Sandbox {

    /** How to enable the sandbox, for the warning given when it is missing. */
    private static final String HOW_TO_ENABLE = "install bubblewrap (apt-get install bubblewrap, dnf install "
            + "bubblewrap) and make sure unprivileged user namespaces are enabled";

    /** The bwrap to use instead of the one on the PATH, or {@code none} to run commands unsandboxed. */
    public static final String BWRAP_PROPERTY = "dev.orchestrator.bwrap";

    /** Whether each bwrap works here, found once per JVM: it does not change while it runs. */
    private static final Map<Path, Optional<String>> PROBES = new ConcurrentHashMap<>();

    /** The line the gate in the sandbox writes once it is set up ({@link #awaitReady}). */
    private static final String READY = "\u001eorchestrator: sandbox ready\n";
    /** {@link #READY} as printf writes it. */
    private static final String READY_ESCAPED = "\\036orchestrator: sandbox ready\\n";

    private final Path bwrap;
    private final boolean network;
    private final List<Path> writable;
    private final List<Path> readOnly;
    private final List<Path> hidden;

    private Sandbox(Path bwrap, boolean network, List<Path> writable, List<Path> readOnly, List<Path> hidden) {
        this.bwrap = bwrap;
        this.network = network;
        this.writable = List.copyOf(writable);
        this.readOnly = List.copyOf(readOnly);
        this.hidden = List.copyOf(hidden);
    }

    /**
     * A sandbox when {@code bwrap} is on this machine and works here (it needs user namespaces, which some
     * containers lack), or why not.
     *
     * @param writable directories outside the workspace that commands may change
     * @param readOnly directories inside the workspace that commands may read but not change (the journal)
     */
    public static Detected detect(boolean network, List<Path> writable, List<Path> readOnly) {
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
            return new Detected(Optional.empty(), "commands run unsandboxed: the sandbox exists on Linux only");
        }
        String chosen = System.getProperty(BWRAP_PROPERTY, "");
        if (chosen.equals("none")) {
            return new Detected(Optional.empty(), "commands run unsandboxed: the system property " + BWRAP_PROPERTY
                    + " is 'none'; remove it to sandbox them");
        }
        return detect(network, writable, readOnly, CredentialStores.homes(),
                chosen.isEmpty() ? onPath() : Optional.of(Path.of(chosen)));
    }

    /**
     * {@link #detect(boolean, List, List)} with {@code bwrap} as the program, if any, hiding the credential stores
     * of {@code homes}.
     */
    static Detected detect(boolean network, List<Path> writable, List<Path> readOnly, List<Path> homes,
            Optional<Path> bwrap) {
        if (bwrap.isEmpty() || !Files.isExecutable(bwrap.get())) {
            return new Detected(Optional.empty(), "commands run unsandboxed: bwrap was not found; to sandbox them, "
                    + HOW_TO_ENABLE);
        }
        Sandbox sandbox = new Sandbox(bwrap.get(), network, writable, readOnly,
                CredentialStores.in(homes, writable));
        Optional<String> problem = PROBES.computeIfAbsent(bwrap.get(), path -> sandbox.probe());
        return problem.isEmpty() ? new Detected(Optional.of(sandbox), "commands run in a bubblewrap sandbox"
                + (network ? " with network" : " without network"))
                : new Detected(Optional.empty(), "commands run unsandboxed: " + bwrap.get() + " does not work here ("
                        + problem.get() + "); to sandbox them, " + HOW_TO_ENABLE);
    }

    /**
     * What {@link #detect} found.
     *
     * @param sandbox the sandbox, if usable
     * @param description one line saying whether commands are sandboxed and, if not, how to make them so
     */
    public record Detected(Optional<Sandbox> sandbox, String description) {
    }

    static Optional<Path> onPath() {
        return Optional.ofNullable(System.getenv("PATH")).stream()
                .flatMap(path -> List.of(path.split(java.io.File.pathSeparator)).stream())
                .filter(directory -> !directory.isEmpty())
                .map(directory -> Path.of(directory, "bwrap"))
                .filter(Files::isExecutable)
                .findFirst();
    }

    /**
     * {@code command} run in {@code workspace} inside the sandbox, behind a gate: once the sandbox is set up, the
     * gate writes {@link #READY} to standard output and runs the command only after reading a line from standard
     * input ({@link #awaitReady}). bwrap's own complaints go to standard output too.
     *
     * @param inOwnSession whether bwrap runs as the leader of a session of its own (no controlling terminal), where
     *     the sandbox then stays so that a resumed mission finds all of it by that session; otherwise bwrap gives the
     *     sandbox a new session itself
     */
    List<String> wrap(List<String> command, Path workspace, boolean inOwnSession) {
        List<String> line = new ArrayList<>(List.of(bwrap.toString(),
                "--ro-bind", "/", "/",
                "--dev", "/dev",
                "--proc", "/proc",
                "--tmpfs", "/tmp",
                "--bind", workspace.toString(), workspace.toString()));
        for (Path directory : writable) {
            line.addAll(List.of("--bind", directory.toString(), directory.toString()));
        }
        for (Path directory : readOnly) {
            if (directory.startsWith(workspace) && Files.isDirectory(directory)) {
                line.addAll(List.of("--ro-bind", directory.toString(), directory.toString()));
            }
        }
        for (Path store : hidden) {
            // last, over the workspace too when it is the home directory; reading one then fails "Permission denied"
            line.addAll(Files.isDirectory(store) ? List.of("--tmpfs", store.toString())
                    : List.of("--ro-bind", "/dev/null", store.toString()));
        }
        // a sandbox without a controlling terminal cannot push keystrokes into one (TIOCSTI): a session of bwrap's
        // own has none, and neither has one bwrap leads
        line.addAll(List.of("--unshare-pid", "--unshare-ipc", "--unshare-uts", "--die-with-parent"));
        if (!inOwnSession) {
            line.add("--new-session");
        }
        line.addAll(List.of("--chdir", workspace.toString()));
        if (!network) {
            // a read-only mount does not stop connect() on a Unix socket file (a database's, D-Bus's, Docker's
            // under /run): without network, /run is an empty tmpfs too. With network, DNS may need /run.
            line.addAll(List.of("--unshare-net", "--tmpfs", "/run"));
        }
        line.addAll(List.of("--", "/bin/sh", "-c", "printf '" + READY_ESCAPED + "' && read -r _ && exec \"$@\"",
                "gate"));
        line.addAll(command);
        return line;
    }

    /**
     * Waits until the sandbox that {@code process} runs ({@link #wrap}) is set up, or bwrap has ended without, then
     * lets the command run. Both ends of the set-up ask the kernel to kill them when their parent dies (bwrap with
     * the thread that started it, the sandbox's init with bwrap), but the init asks only once the sandbox is set up:
     * a JVM killed before then left the sandbox running. The gate closes that window: what the set-up finishes after
     * the JVM died reads the end of its input and runs nothing.
     *
     * @return the process's output from its start: what bwrap said before the gate, then the command's
     */
    static InputStream awaitReady(Process process) throws IOException {
        InputStream output = new BufferedInputStream(process.getInputStream());
        ByteArrayOutputStream before = new ByteArrayOutputStream();
        byte[] ready = READY.getBytes(StandardCharsets.US_ASCII);
        int matched = 0;
        int b;
        // the marker is a line of its own: anything before it is bwrap's, and is kept
        while (matched < ready.length && (b = output.read()) >= 0) {
            if (b == ready[matched]) {
                matched++;
            } else {
                before.write(ready, 0, matched);
                matched = b == ready[0] ? 1 : 0;
                if (matched == 0) {
                    before.write(b);
                }
            }
        }
        if (matched == ready.length) {
            OutputStream input = process.getOutputStream();
            input.write('\n');
            input.flush();
        } else {
            before.write(ready, 0, matched);
        }
        return new SequenceInputStream(new ByteArrayInputStream(before.toByteArray()), output);
    }

    /** Runs {@code true} in the sandbox: bwrap may be installed but refused (no user namespaces, seccomp). */
    private Optional<String> probe() {
        Path here = Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath();
        ProcessBuilder builder = new ProcessBuilder(wrap(List.of("/bin/sh", "-c", "true"), here, false))
                .redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().putAll(Map.of("PATH", "/usr/bin:/bin"));
        try {
            Process process = builder.start();
            String output;
            try (InputStream out = awaitReady(process)) {
                output = new String(out.readAllBytes());
            }
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return Optional.of("it did not finish within 10 s");
            }
            return process.exitValue() == 0 ? Optional.empty()
                    : Optional.of("exit code " + process.exitValue() + ": " + output.strip());
        } catch (IOException e) {
            return Optional.of(e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted while checking it");
        }
    }
}
