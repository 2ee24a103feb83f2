package dev.orchestrator.api;

import java.util.Objects;

/**
 * What the mission's verify command did: the project's own build and tests, the review's ground truth.
 *
 * @param command the command line
 * @param exitCode its exit code, or -1 when it timed out
 * @param output its standard output and error, interleaved, cut to a bounded length with a marker
 * @param timedOut whether it was ended for taking too long
 */
public record VerifyResult(String command, int exitCode, String output, boolean timedOut) {

    /** Checks the fields are present. */
    public VerifyResult {
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(output, "output");
    }

    /** {@return whether the command succeeded: exit code 0 within its time} */
    public boolean passed() {
        return exitCode == 0 && !timedOut;
    }
}
