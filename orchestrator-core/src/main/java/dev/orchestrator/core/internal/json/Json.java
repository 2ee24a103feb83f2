package dev.orchestrator.core.internal.json;

import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** The one JSON mapper of the core: lenient on input (models and servers add fields), strict on nothing else. */
public final class Json {

    static {
        // the first use of Jackson anywhere in the core: say plainly when the class path cannot run it
        JacksonAnnotationsCheck.require();
    }

    /** Thread-safe and immutable, so one instance serves every caller. */
    public static final JsonMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private Json() {
    }
}
