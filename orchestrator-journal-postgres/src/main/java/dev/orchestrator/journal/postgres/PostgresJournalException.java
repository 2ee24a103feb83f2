package dev.orchestrator.journal.postgres;

/**
 * Why a {@link PostgresJournal} cannot be opened or cannot go on: another process holds the mission's lease
 * ({@link LeaseHeldException}), this process lost it ({@link LeaseLostException}), or the database did not take the
 * events ({@link JournalUnavailableException}). Each message says what to do.
 */
public abstract sealed class PostgresJournalException extends RuntimeException
        permits LeaseHeldException, LeaseLostException, JournalUnavailableException {

    private static final long serialVersionUID = 1L;

    PostgresJournalException(String message, Throwable cause) {
        super(message, cause);
    }
}
