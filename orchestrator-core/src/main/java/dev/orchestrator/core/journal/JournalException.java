package dev.orchestrator.core.journal;

/**
 * Why a {@link FileJournal} cannot go on: its files are damaged ({@link JournalCorruptedException}) or the disk
 * failed under it ({@link JournalFailedException}). Both say what to do in their message.
 */
public sealed abstract class JournalException extends RuntimeException
        permits JournalCorruptedException, JournalFailedException {

    private static final long serialVersionUID = 1L;

    JournalException(String message, Throwable cause) {
        super(message, cause);
    }
}
