package dev.orchestrator.core.journal;

/**
 * Writing or forcing the journal failed, so the journal stopped: after a failed {@code fsync} the operating system
 * may have dropped the very pages it was asked to write, so retrying could report data durable that is not. Appends
 * made before the failure that completed normally are durable; the rest are not. Close the journal and open it
 * again (recovery decides what survived), after fixing the cause given here.
 */
public final class JournalFailedException extends JournalException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed and what to do
     * @param cause the I/O error
     */
    public JournalFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
