package dev.orchestrator.core.internal.llm;

import dev.orchestrator.core.internal.json.Json;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Null-safe readers for the tree model on the core's one JSON mapper, as both providers use them.
 *
 * <p>Wire messages are read as trees rather than bound to classes: both APIs add fields all the time, compatible
 * servers leave some out or send {@code null}, and a tree ignores what it is not asked for without any annotation.
 */
public final class JsonTrees {

    /** The core's shared mapper ({@link Json#MAPPER}). */
    public static final JsonMapper MAPPER = Json.MAPPER;

    private JsonTrees() {
    }

    /** A new empty object. */
    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** Parses {@code text}, throwing {@link JacksonException} (unchecked) when it is not JSON. */
    public static JsonNode parse(String text) {
        return MAPPER.readTree(text);
    }

    /** Parses {@code text}, or returns {@code null} when it is not JSON; for bodies that may be anything. */
    public static JsonNode parseOrNull(String text) {
        try {
            return text == null || text.isBlank() ? null : MAPPER.readTree(text);
        } catch (JacksonException e) {
            return null;
        }
    }

    /** The node as compact JSON text. */
    public static String write(JsonNode node) {
        return MAPPER.writeValueAsString(node);
    }

    /** The string at {@code field}, or {@code ""} when it is missing, null or not a string. */
    public static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value != null && value.isString() ? value.stringValue() : "";
    }

    /** The whole number at {@code field}, or 0 when it is missing, null or not a number. */
    public static long number(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value != null && value.isNumber() ? value.asLong(0) : 0;
    }

    /** Whether {@code field} holds a number. */
    public static boolean hasNumber(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value != null && value.isNumber();
    }

    /** The object at {@code field}, or {@code null} when it is missing or not an object. */
    public static JsonNode objectAt(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value != null && value.isObject() ? value : null;
    }
}
