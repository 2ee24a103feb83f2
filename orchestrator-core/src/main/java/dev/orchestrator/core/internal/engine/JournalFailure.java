package dev.orchestrator.core.internal.engine;

import java.io.Serial;

/** An event could not be made durable: the mission cannot go on, since it could not be resumed from there. */
final class JournalFailure extends RuntimeException {

    @Serial
    private static final long serialVersionUID = 1L;

    JournalFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
