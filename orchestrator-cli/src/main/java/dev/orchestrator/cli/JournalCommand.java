package dev.orchestrator.cli;

import java.nio.file.Path;
import picocli.CommandLine.Parameters;

/** A command on a mission's journal, named by the workspace or the journal directory. */
abstract class JournalCommand extends CliCommand {

    @Parameters(index = "0", paramLabel = "DIR", description = "The mission's workspace or its journal directory.")
    Path dir;
}
