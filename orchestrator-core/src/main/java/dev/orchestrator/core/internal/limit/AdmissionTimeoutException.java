package dev.orchestrator.core.internal.limit;

import java.io.Serial;

/** A caller waited longer than it was willing to for a limiter's permit. */
public final class AdmissionTimeoutException extends RuntimeException {

    @Serial
    private static final long serialVersionUID = 1L;

    /** A timeout; the message says what was waited for and what to change. */
    public AdmissionTimeoutException(String message) {
        super(message);
    }
}
