package dev.orchestrator.test;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** The kit's one JSON mapper. */
final class Json {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private Json() {
    }

    static JsonNode parse(String text) {
        return MAPPER.readTree(text);
    }

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    static String write(JsonNode node) {
        return MAPPER.writeValueAsString(node);
    }

    /** {@code text} as a JSON value if it parses, else as a JSON string (a model's invalid tool arguments). */
    static JsonNode parseOrString(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (JacksonException e) {
            return MAPPER.getNodeFactory().stringNode(text);
        }
    }
}
