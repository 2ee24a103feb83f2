package dev.orchestrator.cli;

import picocli.CommandLine.Option;

/** {@code --verbose}, which every command takes; the exception handler reads it from the parse result. */
final class CommonOptions {

    @Option(names = "--verbose", description = "Print the stack trace of an error.")
    boolean verbose;
}
