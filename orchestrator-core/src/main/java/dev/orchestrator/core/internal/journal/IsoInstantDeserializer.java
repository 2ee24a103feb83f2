package dev.orchestrator.core.internal.journal;

import java.time.DateTimeException;
import java.time.Instant;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.deser.std.StdScalarDeserializer;

/** Databind's reader of the events' instants, as fast as the {@link EventReader}'s: {@link IsoInstants}. */
final class IsoInstantDeserializer extends StdScalarDeserializer<Instant> {

    IsoInstantDeserializer() {
        super(Instant.class);
    }

    @Override
    public Instant deserialize(JsonParser p, DeserializationContext ctxt) {
        if (!p.hasToken(JsonToken.VALUE_STRING)) {
            return (Instant) ctxt.handleUnexpectedToken(Instant.class, p);
        }
        String text = p.getString();
        try {
            return IsoInstants.parse(text);
        } catch (DateTimeException e) {
            throw ctxt.weirdStringException(text, Instant.class, e.getMessage());
        }
    }
}
