package dev.orchestrator.cli;

import java.util.Map;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * A command that reads a mission's journal: named by the workspace or the journal directory, or by the JDBC URL of
 * the PostgreSQL database that {@code orchestrator-journal-postgres} keeps it in.
 */
abstract class JournalCommand extends CliCommand {

    @Parameters(index = "0", paramLabel = "JOURNAL", description = {"The mission's workspace or its journal "
            + "directory, or a PostgreSQL journal's JDBC URL (jdbc:postgresql://host:5432/database; the user and "
            + "password from the URL, else from --db-user or PGUSER and from PGPASSWORD)."})
    String journal;

    @Option(names = "--mission", paramLabel = "ID", description = "With a database: the mission to read (needed "
            + "when it holds several; status without it lists them).")
    String mission;

    @Option(names = "--schema", paramLabel = "NAME", defaultValue = "orchestrator", description = "With a "
            + "database: the schema of the journal's tables (default: ${DEFAULT-VALUE}).")
    String schema;

    @Option(names = "--db-user", paramLabel = "NAME", description = "With a database: the user, when the URL names "
            + "none (default: PGUSER). The password comes from PGPASSWORD or the URL, never from an option, so that "
            + "it does not show in the process list.")
    String user;

    /** Where PGUSER and PGPASSWORD come from: the process's environment unless a test gives another. */
    Map<String, String> environment = System.getenv();

    /** The journal the arguments name. */
    JournalSource source() {
        return JournalSource.of(journal, mission, schema, user, environment);
    }
}
