package dev.orchestrator.core.internal.limit;

/**
 * What one limiter's callers sent, told apart by when relative to the pauses a provider announced. Requests already
 * on the wire when a 429 came back are unavoidable; a request started after it is a bug.
 *
 * @param started sends started
 * @param heldBack permits whose holder came to send while a pause was known, and waited instead
 * @param inFlightAtPause sends that were on their way when a new pause was announced
 * @param startedInKnownPause sends that started after a pause was announced and before it ended: always 0 unless
 *     the limiter has a bug
 */
public record SendCounts(long started, long heldBack, long inFlightAtPause, long startedInKnownPause) {
}
