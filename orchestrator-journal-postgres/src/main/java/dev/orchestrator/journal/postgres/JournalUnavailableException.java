package dev.orchestrator.journal.postgres;

import java.net.SocketTimeoutException;

/**
 * The database could not be reached, or refused a read or a write, or did not answer one within the pool's lease
 * duration (it is down, restarting, unreachable): a mission whose events it did not commit stops, with nothing
 * before its last committed event lost, and resumes from there when it is opened again. An append whose commit got
 * no answer may have been committed all the same, if the database received it: the resumed mission then has it (its
 * lease token keeps it out once another process has taken the mission over).
 */
public final class JournalUnavailableException extends PostgresJournalException {

    private static final long serialVersionUID = 1L;

    /**
     * @param doing what the journal could not do, as "commit the events of mission 'm'"
     * @param cause the driver's exception
     */
    JournalUnavailableException(String doing, Throwable cause) {
        super("the PostgreSQL journal could not " + doing + " (" + why(cause) + "): the database is down, "
                + "restarting or unreachable, or refused it; a mission stops here, and once the database is back, "
                + "open it again (MissionPool.open or takeOver) and run it: it resumes after its last committed event",
                cause);
    }

    /** The driver's message, or, for a request the database did not answer in time, that it did not. */
    private static String why(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof SocketTimeoutException) {
                return "the database did not answer within the pool's lease duration: is the network to it "
                        + "partitioned? " + cause.getMessage();
            }
        }
        return cause.getMessage();
    }
}
