package dev.orchestrator.core.internal.tools;

/**
 * What a finished command did.
 *
 * @param exitCode its exit code, -1 when it timed out
 * @param output standard output and error, interleaved and bounded
 * @param timedOut whether it was ended for taking too long
 */
public record CommandResult(int exitCode, String output, boolean timedOut) {
}
