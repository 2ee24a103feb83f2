package dev.orchestrator.core.internal.journal;

import java.time.Instant;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ser.std.StdScalarSerializer;

/** Databind's writer of the events' instants, the same text as {@link Instant#toString()}: {@link IsoInstants}. */
final class IsoInstantSerializer extends StdScalarSerializer<Instant> {

    IsoInstantSerializer() {
        super(Instant.class);
    }

    @Override
    public void serialize(Instant value, JsonGenerator gen, SerializationContext provider) {
        gen.writeString(IsoInstants.format(value));
    }
}
