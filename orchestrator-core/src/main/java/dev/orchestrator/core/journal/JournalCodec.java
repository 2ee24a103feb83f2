package dev.orchestrator.core.journal;

import dev.orchestrator.api.MissionEvent;
import dev.orchestrator.core.internal.journal.EventCodec;
import java.nio.ByteBuffer;
import tools.jackson.core.JacksonException;

/**
 * The JSON form of {@link MissionEvent}s that {@link FileJournal} writes, for journals kept elsewhere (a database) so
 * that every journal holds the same documents. Each event carries a {@code "type"} name that never changes. It is
 * thread-safe.
 */
public final class JournalCodec {

    private final EventCodec codec = new EventCodec();

    /** The event as UTF-8 JSON. */
    public byte[] encode(MissionEvent event) {
        return codec.encode(event);
    }

    /**
     * The event in UTF-8 {@code json}.
     *
     * @param json the document
     * @param seq its sequence number, for the message if it cannot be read
     * @throws IllegalStateException if it is not an event this version knows; the message says to resume with the
     *     newer version that wrote it
     */
    public MissionEvent decode(byte[] json, long seq) {
        try {
            return codec.decode(ByteBuffer.wrap(json));
        } catch (JacksonException e) {
            throw new IllegalStateException("journal record seq " + seq + " holds an event this version cannot "
                    + "read (" + e.getOriginalMessage() + "): it was probably written by a newer version of "
                    + "Orchestrator; resume the mission with that version", e);
        }
    }
}
