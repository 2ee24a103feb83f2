package dev.orchestrator.core.internal.tools;

import dev.orchestrator.api.MissionStoppedException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Runs shell commands in the workspace with a timeout and bounded output, and ends the whole process tree when
 * the time is up or the mission stops, so no build or server outlives its call.
 */
public final class CommandRunner {

    /** Environment variables whose names look like secrets never reach a child process. */
    private static final Pattern SECRET_NAME =
            Pattern.compile(".*(API_KEY|APIKEY|TOKEN|SECRET|PASSWORD|CREDENTIAL|PRIVATE_KEY).*");

    private final Path directory;
    private final int outputLimit;

    /** Runs commands in {@code directory}, keeping at most {@code outputLimit} bytes of output each. */
    public CommandRunner(Path directory, int outputLimit) {
        this.directory = directory;
        this.outputLimit = outputLimit;
    }

    /**
     * Runs {@code command} through the system shell and waits for it.
     *
     * @throws MissionStoppedException if the calling thread is interrupted; the process tree is ended first
     * @throws UncheckedIOException if the shell cannot be started
     */
    public CommandResult run(String command, Duration timeout) {
        ProcessBuilder builder = new ProcessBuilder(shell(command)).directory(directory.toFile())
                .redirectErrorStream(true);
        scrubSecrets(builder.environment());
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start '" + command + "': " + e.getMessage(), e);
        }
        BoundedOutput output = new BoundedOutput(outputLimit);
        Thread reader = Thread.ofVirtual().name("command-output").start(() -> drain(process.getInputStream(), output));
        try {
            boolean finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!finished) {
                destroyTree(process);
            }
            // the reader ends when the last process holding the pipe is gone
            reader.join();
            return finished ? new CommandResult(process.exitValue(), output.text(), false)
                    : new CommandResult(-1, output.text() + "\n[ended after " + timeout.toSeconds() + " s]", true);
        } catch (InterruptedException e) {
            destroyTree(process);
            Thread.currentThread().interrupt();
            throw new MissionStoppedException("interrupted while running '" + command + "'; it was ended");
        } finally {
            closeQuietly(process);
        }
    }

    static List<String> shell(String command) {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows")
                ? List.of("cmd.exe", "/c", command)
                : List.of("/bin/sh", "-c", command);
    }

    static void scrubSecrets(Map<String, String> environment) {
        environment.keySet().removeIf(name -> SECRET_NAME.matcher(name.toUpperCase(Locale.ROOT)).matches());
    }

    private static void drain(InputStream in, BoundedOutput output) {
        byte[] buffer = new byte[8192];
        try (in) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                output.write(buffer, 0, n);
            }
        } catch (IOException e) {
            // the stream closes when the process tree is destroyed; what was read is kept
        }
    }

    private static void destroyTree(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(Process process) {
        try {
            process.getOutputStream().close();
        } catch (IOException ignored) {
            // nothing was written to it; closing only releases the descriptor
        }
    }
}
