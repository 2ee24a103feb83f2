package dev.orchestrator.cli;

import dev.orchestrator.core.journal.JournalException;
import java.io.PrintWriter;
import picocli.CommandLine.Command;

/** {@code orchestrator verify-journal JOURNAL}: checks every segment and record (or row), repairs nothing. */
@Command(name = "verify-journal", mixinStandardHelpOptions = true, versionProvider = OrchestratorCli.Version.class,
        description = {"Checks every segment, record, checksum and sequence number of a journal, and that every "
                + "event decodes, without repairing anything (a torn tail from a crash is reported, not cut).",
                "Exit code 0 when opening the journal would accept it, 3 when it would refuse it."})
final class VerifyJournalCommand extends JournalCommand {

    @Override
    public Integer call() {
        PrintWriter out = out();
        PrintWriter err = err();
        JournalSource journal = source();
        long[] events = {0};
        JournalSource.Contents contents;
        try {
            contents = journal.read(0, (seq, event) -> events[0]++);
        } catch (JournalException | IllegalStateException e) {
            // IllegalStateException: a record whose event this version cannot decode
            err.println("orchestrator verify-journal: refused: " + e.getMessage());
            err.flush();
            return OrchestratorCli.JOURNAL_REFUSED;
        }
        out.println("journal " + journal.name() + " is sound: " + events[0] + " events" + (events[0] == 0 ? ""
                : " (seq " + (contents.lastSeq() - events[0] + 1) + " to " + contents.lastSeq() + ")") + " "
                + contents.where() + (contents.snapshotSeq() == 0 ? "" : ", after a snapshot at seq "
                + contents.snapshotSeq()) + ", " + journal.checks() + " and every event decoded.");
        contents.tornTail().ifPresent(torn -> out.println("note: " + torn + " (what a crash during an append "
                + "leaves; nothing acknowledged is lost)."));
        out.flush();
        return OrchestratorCli.COMPLETED;
    }
}
