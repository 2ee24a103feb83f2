package dev.orchestrator.core.internal.llm;

import dev.orchestrator.api.LlmException;
import dev.orchestrator.api.ToolSpec;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/** What both wire formats need: tool schemas as JSON objects and the arguments of earlier calls. */
final class WireSupport {

    private WireSupport() {
    }

    /** The tool's input schema as a JSON object; a schema that is not one is the caller's mistake. */
    static JsonNode schema(ToolSpec tool) {
        try {
            JsonNode schema = JsonTrees.parse(tool.inputSchema());
            if (schema.isObject()) {
                return schema;
            }
        } catch (JacksonException e) {
            // reported below with the tool's name
        }
        throw new LlmException.InvalidRequest("tool '" + tool.name()
                + "' has an input schema that is not a JSON object; fix its ToolSpec.inputSchema", 0);
    }

    /**
     * Arguments as the model produced them, normalised only where nothing can be lost: no arguments at all means an
     * empty object (Anthropic streams an empty string for a tool without parameters, some servers do the same).
     */
    static String arguments(String raw) {
        return raw.isBlank() ? "{}" : raw;
    }

    /**
     * Earlier arguments as a JSON object, for servers that take nothing else back. Arguments that were not one were
     * already answered with an error result, which tells the model what went wrong, so an empty object stands in.
     */
    static JsonNode objectOrEmpty(String arguments) {
        try {
            JsonNode parsed = JsonTrees.parse(arguments);
            if (parsed.isObject()) {
                return parsed;
            }
        } catch (JacksonException e) {
            // fall through
        }
        return JsonTrees.object();
    }
}
