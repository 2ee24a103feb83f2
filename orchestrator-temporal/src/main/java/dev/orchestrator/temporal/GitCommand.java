package dev.orchestrator.temporal;

import dev.orchestrator.api.CommandSandbox;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Runs the {@code git} command: with the environment commands get ({@link CommandSandbox#childEnvironment}, plus
 * what git needs to reach a remote over SSH), never a prompt, within a timeout, its output bounded; a failure says
 * what to do.
 */
final class GitCommand {

    /** Beside the commands' allowlist: an SSH agent and an SSH command, which a remote over SSH may need. */
    private static final List<String> REMOTE_ACCESS = List.of("SSH_AUTH_SOCK", "GIT_SSH_COMMAND");
    private static final int OUTPUT_LIMIT = 16 * 1024;

    private final Duration timeout;
    private final Map<String, String> environment;

    GitCommand(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the git timeout must be positive, was " + timeout);
        }
        this.timeout = timeout;
        Map<String, String> environment = new java.util.TreeMap<>(
                CommandSandbox.childEnvironment(System.getenv(), REMOTE_ACCESS));
        // a missing credential fails at once instead of waiting for a terminal no one reads
        environment.put("GIT_TERMINAL_PROMPT", "0");
        environment.put("GIT_ASKPASS", "true");
        environment.put("LC_ALL", "C");
        this.environment = Map.copyOf(environment);
    }

    /** The outcome of one run. */
    record Result(int exitCode, String output) {
        boolean succeeded() {
            return exitCode == 0;
        }
    }

    /**
     * {@return the trimmed output of {@code git args} in {@code directory}}
     *
     * @throws UncheckedIOException if the remote could not be reached, which may pass, saying what to check
     * @throws IllegalStateException if git fails otherwise, saying what to do
     */
    String run(Path directory, String... args) {
        Result result = attempt(directory, args);
        if (!result.succeeded()) {
            String said = result.output().strip();
            String failed = "git " + String.join(" ", args) + " failed (exit code " + result.exitCode() + "): " + said
                    + "; ";
            if (unreachable(said)) {
                throw passing(failed + "the remote cannot be reached: check its URL in WorkspaceSource.git and that "
                        + "this worker can reach it");
            }
            throw new IllegalStateException(failed + advice(said));
        }
        return result.output().strip();
    }

    /** {@return how {@code git args} in {@code directory} ended, a failure included} */
    Result attempt(Path directory, String... args) {
        List<String> command = new ArrayList<>(List.of("git"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().putAll(environment);
        Process process;
        try {
            process = builder.start();
            process.getOutputStream().close(); // nothing to say to it: a question gets end of input
        } catch (IOException e) {
            throw new IllegalStateException("cannot run git on this worker (" + e.getMessage() + "): install git "
                    + "and put it on the PATH, or use WorkspaceSource.sharedDirectory", e);
        }
        CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> read(process.getInputStream()),
                runnable -> Thread.ofVirtual().name("git-output").start(runnable));
        try {
            if (!process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                throw passing("git " + String.join(" ", args) + " took longer than " + timeout + ": check that the "
                        + "remote is reachable from this worker, or give WorkspaceSource.git a longer timeout");
            }
            return new Result(process.exitValue(), output.get());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while git " + args[0] + " ran", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot read the output of git " + args[0], e.getCause());
        } finally {
            // the whole tree: git starts ssh and helpers of its own
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    /** {@return the output, its last {@value #OUTPUT_LIMIT} bytes at most} */
    private static String read(InputStream in) {
        try (in) {
            byte[] all = in.readAllBytes();
            int from = Math.max(0, all.length - OUTPUT_LIMIT);
            return new String(all, from, all.length - from, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@return a failure that may pass, with {@code message} all the way down, where a task's failure is read} */
    private static UncheckedIOException passing(String message) {
        return new UncheckedIOException(message, new IOException(message));
    }

    /** {@return whether git's words say the remote could not be reached, which may pass} */
    private static boolean unreachable(String said) {
        String lower = said.toLowerCase(Locale.ROOT);
        return !refused(lower) && (lower.contains("does not appear to be a git repository")
                || lower.contains("could not resolve host") || lower.contains("unable to access")
                || lower.contains("could not read from remote repository"));
    }

    private static boolean refused(String lower) {
        return lower.contains("authentication failed") || lower.contains("permission denied")
                || lower.contains("could not read username") || lower.contains("could not read password")
                || lower.contains("host key verification failed");
    }

    /** {@return what to do about a failure that is not the remote's absence} */
    private static String advice(String said) {
        String lower = said.toLowerCase(Locale.ROOT);
        if (refused(lower)) {
            return "the remote refused this worker's credentials: give it access (an SSH key or agent, a "
                    + "credential helper in its git config)";
        }
        if (lower.contains("stale info") || lower.contains("rejected") || lower.contains("non-fast-forward")) {
            return "another machine pushed to the mission's branch since this one opened it: only one worker may "
                    + "host a mission; give its tasks more time to wait in a host's queue (StartOptions.hostTimeout)";
        }
        return "see git's words above";
    }
}
