package dev.orchestrator.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code orchestrator report JOURNAL [-o report.html]}: the mission as one self-contained HTML file. */
@Command(name = "report", mixinStandardHelpOptions = true, versionProvider = OrchestratorCli.Version.class,
        description = "Writes a mission's report from its journal: one self-contained HTML file (no network, no "
                + "script or font from elsewhere) with the timeline of tasks per Worker, tokens per role, the "
                + "limiter, the todos, the reviews, the verify runs and the cost.")
final class ReportCommand extends JournalCommand {

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Where to write it (default: "
            + "orchestrator-report.html in the current directory).")
    Path output = Path.of("orchestrator-report.html");

    @Override
    public Integer call() throws Exception {
        Path folder = output.toAbsolutePath().getParent();
        if (folder != null && !Files.isDirectory(folder)) {
            // the JDK's NoSuchFileException names the report's file, when what is missing is its directory
            throw new IllegalArgumentException("the directory " + folder + " for the report does not exist: create "
                    + "it, or give -o a file in one that does");
        }
        MissionJournal journal = MissionJournal.read(source());
        Files.writeString(output, MissionReport.html(journal), StandardCharsets.UTF_8);
        PrintWriter out = out();
        out.println("report of " + journal.events().size() + " events written to " + output.toAbsolutePath());
        out.flush();
        return OrchestratorCli.COMPLETED;
    }
}
