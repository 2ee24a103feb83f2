package dev.orchestrator.core.internal.tools;

import dev.orchestrator.api.CommandSandbox;
import dev.orchestrator.api.MissionStoppedException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Runs shell commands in the workspace with a timeout and bounded output, inside the {@link Sandbox} when there is
 * one, with an allowlisted environment, and with every known credential redacted from the output. The whole process
 * tree ends when the time is up, the caller is interrupted (its task or mission ends), or the JVM dies: sandboxed
 * trees die with their launcher thread. Every command leads a session of its own and waits at a gate until it has
 * been reported to {@link Watch}, so that a resumed mission can end what a crash left behind ({@link ProcessTree}):
 * all of an unsandboxed command, and a sandbox that a JVM killed at the wrong moment failed to take with it.
 */
public final class CommandRunner implements AutoCloseable {

    private static final Path SETSID = Path.of("/usr/bin/setsid");

    /** Told of each command's process as it starts, before the command can do anything lasting. */
    @FunctionalInterface
    public interface Watch {
        /** Watches nothing. */
        Watch NONE = (pid, startedAt) -> { };

        /**
         * Process {@code pid}, started at {@code startedAt}, leads the session of a new command; the command waits
         * until this returns.
         */
        void started(long pid, Instant startedAt);
    }

    private final Path directory;
    private final int outputLimit;
    private final Map<String, String> environment;
    private final Redactor redactor;
    private final Supplier<Optional<Sandbox>> sandbox;
    private final Watch watch;
    private ExecutorService launcher;

    /** Runs commands in {@code directory} unsandboxed, with this JVM's allowlisted environment and no redaction. */
    public CommandRunner(Path directory, int outputLimit) {
        this(directory, outputLimit, CommandSandbox.childEnvironment(System.getenv(), List.of()), Redactor.NONE,
                Optional.empty(), Watch.NONE);
    }

    /**
     * Runs commands in {@code directory}, keeping at most {@code outputLimit} bytes of output each, with exactly
     * {@code environment}, redacting {@code redactor}'s secrets, inside {@code sandbox} when present, telling
     * {@code watch} of every process started.
     */
    public CommandRunner(Path directory, int outputLimit, Map<String, String> environment, Redactor redactor,
            Optional<Sandbox> sandbox, Watch watch) {
        this(directory, outputLimit, environment, redactor, () -> sandbox, watch);
    }

    /**
     * As {@link #CommandRunner(Path, int, Map, Redactor, Optional, Watch)}, with the sandbox asked for when the
     * first command starts: finding out whether bubblewrap works here starts a process, which a mission that runs
     * no command (a resume of a finished one) need not pay for. {@code sandbox} must give the same answer each time.
     */
    public CommandRunner(Path directory, int outputLimit, Map<String, String> environment, Redactor redactor,
            Supplier<Optional<Sandbox>> sandbox, Watch watch) {
        this.directory = directory;
        this.outputLimit = outputLimit;
        this.environment = Map.copyOf(environment);
        this.redactor = redactor;
        this.sandbox = sandbox;
        this.watch = watch;
    }

    /**
     * Runs {@code command} through the system shell and waits for it.
     *
     * @throws MissionStoppedException if the calling thread is interrupted; the process tree is ended first
     * @throws UncheckedIOException if the shell cannot be started
     */
    public CommandResult run(String command, Duration timeout) {
        Started started = start(command);
        Process process = started.process();
        BoundedOutput output = new BoundedOutput(outputLimit);
        Thread reader = Thread.ofVirtual().name("command-output")
                .start(() -> drain(started.output(), output::write));
        try {
            boolean finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!finished) {
                ProcessTree.end(process);
            }
            // the reader ends when the last process holding the pipe is gone
            reader.join();
            String text = redactor.redact(output.text());
            return finished ? new CommandResult(process.exitValue(), text, false)
                    : new CommandResult(-1, text + "\n[ended after " + timeout.toSeconds() + " s]", true);
        } catch (InterruptedException e) {
            ProcessTree.end(process);
            Thread.currentThread().interrupt();
            throw new MissionStoppedException("interrupted while running '" + command + "'; it was ended");
        }
    }

    /**
     * Starts {@code command} through the system shell the way {@link #run} does (sandbox, environment, watch) and
     * returns once it runs; the caller owns the process, reads its merged output and ends its tree
     * ({@link ProcessTree#end}). Its output is not redacted: whoever shows it must.
     *
     * @throws MissionStoppedException if the calling thread is interrupted before the command started
     * @throws UncheckedIOException if the shell cannot be started
     */
    Started start(String command) {
        ProcessBuilder builder = new ProcessBuilder(commandLine(command)).directory(directory.toFile())
                .redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().putAll(environment);
        Process process = launch(builder, command);
        // a command's input is at its end once it runs, as a command waiting for input would otherwise wait until
        // its timeout
        try (OutputStream input = process.getOutputStream()) {
            process.info().startInstant().ifPresent(start -> watch.started(process.pid(), start));
            if (sandbox.get().isPresent()) {
                return new Started(process, Sandbox.awaitReady(process));
            }
            if (Files.isExecutable(SETSID)) {
                input.write('\n');
            }
            return new Started(process, process.getInputStream());
        } catch (IOException e) {
            // the process has already ended (it could not start the shell, bwrap failed): its exit code and output
            // say so
            return new Started(process, process.getInputStream());
        }
    }

    /**
     * A started command.
     *
     * @param process its process, which leads its session
     * @param output its merged output from the start
     */
    record Started(Process process, InputStream output) {
    }

    /** Ends the launcher thread; a sandboxed command still running dies with it. */
    @Override
    public synchronized void close() {
        if (launcher != null) {
            launcher.shutdownNow();
        }
    }

    /**
     * The command's line: as the leader of a session of its own (where setsid exists), waiting at a gate for a line
     * on its input, which the JVM sends once the watch has journaled the process, so that no command runs that a
     * crash could leave unrecorded. A sandbox has its gate inside ({@link Sandbox#awaitReady}).
     */
    private List<String> commandLine(String command) {
        List<String> shell = shell(command);
        if (!Files.isExecutable(SETSID)) {
            return sandbox.get().map(box -> box.wrap(shell, directory, false)).orElse(shell);
        }
        List<String> line = new ArrayList<>(List.of(SETSID.toString()));
        if (sandbox.get().isPresent()) {
            line.addAll(sandbox.get().get().wrap(shell, directory, true));
        } else {
            line.addAll(List.of("/bin/sh", "-c", "read -r _ && exec \"$@\"", "gate"));
            line.addAll(shell);
        }
        return line;
    }

    /**
     * Starts the process from one long-lived platform thread: bubblewrap's {@code --die-with-parent} ends the
     * sandbox when the thread that started it exits, and a virtual thread's carrier may exit at any time.
     */
    private Process launch(ProcessBuilder builder, String command) {
        try {
            return launcher().submit(builder::start).get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw new UncheckedIOException("cannot start '" + command + "': " + cause.getMessage(),
                    cause instanceof IOException io ? io : new IOException(cause));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MissionStoppedException("interrupted before '" + command + "' started; it was not run");
        }
    }

    private synchronized ExecutorService launcher() {
        if (launcher == null) {
            launcher = Executors.newSingleThreadExecutor(Thread.ofPlatform().daemon().name("command-launcher")
                    .factory());
        }
        return launcher;
    }

    static List<String> shell(String command) {
        return isPosixShell() ? List.of("/bin/sh", "-c", command) : List.of("cmd.exe", "/c", command);
    }

    /** Whether commands run through {@code /bin/sh} (everywhere but on Windows, where {@code cmd.exe} runs them). */
    public static boolean isPosixShell() {
        return !System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
    }

    /** Copies {@code in} to {@code sink} until its end, or until the process tree is destroyed. */
    static void drain(InputStream in, Sink sink) {
        byte[] buffer = new byte[8192];
        try (in) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                sink.write(buffer, 0, n);
            }
        } catch (IOException e) {
            // the stream closes when the process tree is destroyed; what was read is kept
        }
    }

    /** Where drained output goes. */
    @FunctionalInterface
    interface Sink {
        void write(byte[] buffer, int offset, int length);
    }
}
