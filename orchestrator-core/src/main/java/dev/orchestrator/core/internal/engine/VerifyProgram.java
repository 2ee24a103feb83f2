package dev.orchestrator.core.internal.engine;

import dev.orchestrator.core.internal.tools.CommandRunner;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Refuses a verify command whose program is not on this machine before the mission spends a model call: one whose
 * first word is a bare name that no directory on the commands' {@code PATH} holds ({@code mvnn -q test}, a test
 * runner the machine lacks). Run anyway, every verify failed with "not found", which no Worker can fix, and every
 * review planned fixes for it until the iteration limit. A program given by its path ({@code ./gradlew}) is not
 * checked: the mission may be what creates it; nor is a command that begins with shell syntax, nor any on Windows,
 * where {@code cmd.exe} finds programs by their extensions too.
 */
final class VerifyProgram {

    /** POSIX sh's keywords and builtins: words a command may begin with that no directory on the PATH holds. */
    private static final Set<String> SHELL_WORDS = Set.of("!", "{", "}", ".", ":", "[", "alias", "bg", "break",
            "case", "cd", "command", "continue", "do", "done", "echo", "elif", "else", "esac", "eval", "exec", "exit",
            "export", "false", "fc", "fg", "fi", "for", "getopts", "hash", "if", "in", "jobs", "kill", "local",
            "printf", "pwd", "read", "readonly", "return", "set", "shift", "test", "then", "times", "trap", "true",
            "type", "ulimit", "umask", "unalias", "unset", "until", "wait", "while");
    /** A program named without a path or shell syntax; anything else is left to the shell. */
    private static final Pattern BARE_NAME = Pattern.compile("[A-Za-z0-9_+-][A-Za-z0-9_.+-]*");
    /** {@code NAME=value} before the program, as in {@code CI=1 mvn test}. */
    private static final Pattern ASSIGNMENT = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*=\\S*");

    private VerifyProgram() {
    }

    /**
     * Checks that {@code command} can start its program, run from {@code workspace} with {@code path} as its
     * {@code PATH}.
     *
     * @throws IllegalArgumentException naming the program, the PATH and what to change, if it cannot
     */
    static void require(String command, Path workspace, String path) {
        missing(command, workspace, path).ifPresent(program -> {
            throw new IllegalArgumentException("the verify command '" + command + "' runs '" + program
                    + "', which is not a command on this machine: no directory on the commands' PATH (" + path
                    + ") holds it; install it, or correct the command (Mission.Builder.verifyWith(...))");
        });
    }

    /** The program {@code command} begins with, if it is a bare name that no directory on {@code path} holds. */
    static Optional<String> missing(String command, Path workspace, String path) {
        if (!CommandRunner.isPosixShell()) {
            return Optional.empty();
        }
        String[] words = command.strip().split("\\s+");
        int first = 0;
        while (first < words.length && ASSIGNMENT.matcher(words[first]).matches()) {
            first++;
        }
        if (first == words.length) {
            return Optional.empty();
        }
        String program = words[first];
        if (!BARE_NAME.matcher(program).matches() || SHELL_WORDS.contains(program)) {
            return Optional.empty();
        }
        for (String directory : path.split(File.pathSeparator, -1)) {
            if (isProgram(workspace, directory, program)) {
                return Optional.empty();
            }
        }
        return Optional.of(program);
    }

    /** Whether {@code directory} of the PATH (empty or relative: from the workspace, as the shell reads it) holds it. */
    private static boolean isProgram(Path workspace, String directory, String program) {
        try {
            Path file = workspace.resolve(directory).resolve(program);
            return Files.isRegularFile(file) && Files.isExecutable(file);
        } catch (InvalidPathException e) {
            return false;
        }
    }
}
