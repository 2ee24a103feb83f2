package dev.orchestrator.journal.postgres;

/**
 * The database did not commit the events (it is down, restarting, unreachable, or refused them): the mission stops
 * with nothing after its last committed event lost, and resumes from there when it is opened again.
 */
public final class JournalUnavailableException extends PostgresJournalException {

    private static final long serialVersionUID = 1L;

    JournalUnavailableException(String missionId, Throwable cause) {
        super("the PostgreSQL journal could not commit the events of mission '" + missionId + "' ("
                + cause.getMessage() + "): the mission stops here; once the database is reachable, open the "
                + "mission again (MissionPool.open or takeOver) and run it: it resumes after its last committed "
                + "event", cause);
    }
}
