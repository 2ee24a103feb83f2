package dev.orchestrator.core.internal.tools;

import java.io.IOException;
import java.io.InputStream;
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
 * journal inside it read-only), a private {@code /tmp} (and {@code /run} without network), {@code /proc} of a new PID namespace (so
 * {@code /proc/$PPID} is the sandbox's own init, not the JVM), no network unless allowed, a new session (no
 * terminal injection), and {@code --die-with-parent}, so the whole tree ends when the thread that started it (the
 * runner's launcher thread, which lives as long as the mission) or the JVM dies.
 */
public final class Sandbox {

    /** How to enable the sandbox, for the warning given when it is missing. */
    private static final String HOW_TO_ENABLE = "install bubblewrap (apt-get install bubblewrap, dnf install "
            + "bubblewrap) and make sure unprivileged user namespaces are enabled";

    /** The bwrap to use instead of the one on the PATH, or {@code none} to run commands unsandboxed. */
    public static final String BWRAP_PROPERTY = "dev.orchestrator.bwrap";

    /** Whether each bwrap works here, found once per JVM: it does not change while it runs. */
    private static final Map<Path, Optional<String>> PROBES = new ConcurrentHashMap<>();

    private final Path bwrap;
    private final boolean network;
    private final List<Path> writable;
    private final List<Path> readOnly;

    private Sandbox(Path bwrap, boolean network, List<Path> writable, List<Path> readOnly) {
        this.bwrap = bwrap;
        this.network = network;
        this.writable = List.copyOf(writable);
        this.readOnly = List.copyOf(readOnly);
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
        return detect(network, writable, readOnly, chosen.isEmpty() ? onPath() : Optional.of(Path.of(chosen)));
    }

    /** {@link #detect(boolean, List, List)} with {@code bwrap} as the program, if any. */
    static Detected detect(boolean network, List<Path> writable, List<Path> readOnly, Optional<Path> bwrap) {
        if (bwrap.isEmpty() || !Files.isExecutable(bwrap.get())) {
            return new Detected(Optional.empty(), "commands run unsandboxed: bwrap was not found; to sandbox them, "
                    + HOW_TO_ENABLE);
        }
        Sandbox sandbox = new Sandbox(bwrap.get(), network, writable, readOnly);
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

    private static Optional<Path> onPath() {
        return Optional.ofNullable(System.getenv("PATH")).stream()
                .flatMap(path -> List.of(path.split(java.io.File.pathSeparator)).stream())
                .filter(directory -> !directory.isEmpty())
                .map(directory -> Path.of(directory, "bwrap"))
                .filter(Files::isExecutable)
                .findFirst();
    }

    /**
     * {@code command} (a shell command line) run in {@code workspace} inside the sandbox. The process started from
     * this line writes bwrap's status to its standard error ({@link #awaitInit}) and everything else, bwrap's own
     * complaints and the command's standard error, to its standard output.
     */
    List<String> wrap(List<String> command, Path workspace) {
        // a shell that becomes bwrap gives it the status on descriptor 3, the one pipe a Java child has spare
        List<String> line = new ArrayList<>(List.of("/bin/sh", "-c", "exec 3>&2 2>&1 && exec \"$@\"", "bwrap",
                bwrap.toString(),
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
        line.addAll(List.of("--unshare-pid", "--unshare-ipc", "--unshare-uts", "--die-with-parent", "--new-session",
                "--chdir", workspace.toString(), "--json-status-fd", "3"));
        if (!network) {
            // a read-only mount does not stop connect() on a Unix socket file (a database's, D-Bus's, Docker's
            // under /run): without network, /run is an empty tmpfs too. With network, DNS may need /run.
            line.addAll(List.of("--unshare-net", "--tmpfs", "/run"));
        }
        line.add("--");
        line.addAll(command);
        return line;
    }

    /**
     * Waits until the bwrap that {@code process} runs ({@link #wrap}) has created the sandbox's init, or has ended
     * without. Until then, ending bwrap could leave that init running: it asks to die with bwrap only once the
     * sandbox is set up, and it would start the command regardless. From then on it is bwrap's child, which
     * {@link ProcessTree#end} ends before bwrap, and its end ends everything in the sandbox's PID namespace.
     */
    static void awaitInit(Process process) {
        // byte by byte, and the stream kept open: bwrap writes its exit code there last, and a closed pipe would
        // kill it instead
        InputStream status = process.getErrorStream();
        try {
            // the first line names the init; that it was written is all this waits for
            int b;
            do {
                b = status.read();
            } while (b >= 0 && b != '\n');
        } catch (IOException e) {
            // bwrap has ended: so has anything it started
        }
    }

    /** Runs {@code true} in the sandbox: bwrap may be installed but refused (no user namespaces, seccomp). */
    private Optional<String> probe() {
        Path here = Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath();
        ProcessBuilder builder = new ProcessBuilder(wrap(List.of("/bin/sh", "-c", "true"), here));
        builder.environment().clear();
        builder.environment().putAll(Map.of("PATH", "/usr/bin:/bin"));
        try {
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes());
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
