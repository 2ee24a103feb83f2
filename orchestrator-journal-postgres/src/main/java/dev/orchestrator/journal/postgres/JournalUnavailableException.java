package dev.orchestrator.journal.postgres;

/**
 * The database could not be reached, or refused a read or a write (it is down, restarting, unreachable): a mission
 * whose events it did not commit stops, with nothing before its last committed event lost, and resumes from there
 * when it is opened again.
 */
public final class JournalUnavailableException extends PostgresJournalException {

    private static final long serialVersionUID = 1L;

    /**
     * @param doing what the journal could not do, as "commit the events of mission 'm'"
     * @param cause the driver's exception
     */
    JournalUnavailableException(String doing, Throwable cause) {
        super("the PostgreSQL journal could not " + doing + " (" + cause.getMessage() + "): the database is down, "
                + "restarting or unreachable, or refused it; a mission stops here, and once the database is back, "
                + "open it again (MissionPool.open or takeOver) and run it: it resumes after its last committed event",
                cause);
    }
}
