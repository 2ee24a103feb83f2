package dev.orchestrator.core.internal.tools;

import dev.orchestrator.api.ToolArguments;
import dev.orchestrator.api.ToolException;
import dev.orchestrator.core.internal.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/** Tool arguments parsed from the model's JSON, with errors phrased for the model. */
public final class ParsedArguments implements ToolArguments {

    private final String json;
    private final JsonNode root;

    private ParsedArguments(String json, JsonNode root) {
        this.json = json;
        this.root = root;
    }

    /**
     * Parses {@code json}, which must be a JSON object; an empty string counts as {@code {}}, as some models send
     * it for tools without parameters.
     *
     * @throws ToolException if it is not valid JSON or not an object
     */
    public static ParsedArguments parse(String json) {
        String text = json.isBlank() ? "{}" : json;
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(text);
        } catch (JacksonException e) {
            throw new ToolException("the arguments are not valid JSON (" + e.getOriginalMessage()
                    + "): send a JSON object that matches the tool's schema");
        }
        if (root == null || !root.isObject()) {
            throw new ToolException("the arguments must be a JSON object, were: " + abbreviate(text));
        }
        return new ParsedArguments(text, root);
    }

    @Override
    public String string(String name) {
        return optionalString(name).orElseThrow(
                () -> new ToolException("missing required argument '" + name + "' (a string)"));
    }

    @Override
    public Optional<String> optionalString(String name) {
        JsonNode node = root.get(name);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isString()) {
            throw new ToolException("argument '" + name + "' must be a string, was " + node.getNodeType());
        }
        return Optional.of(node.asString());
    }

    @Override
    public long integer(String name, long defaultValue) {
        JsonNode node = root.get(name);
        if (node == null || node.isNull()) {
            return defaultValue;
        }
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            return node.asLong();
        }
        if (node.isString() && node.asString().strip().matches("-?\\d{1,18}")) {
            return Long.parseLong(node.asString().strip());
        }
        throw new ToolException("argument '" + name + "' must be an integer, was " + node);
    }

    @Override
    public boolean bool(String name, boolean defaultValue) {
        JsonNode node = root.get(name);
        if (node == null || node.isNull()) {
            return defaultValue;
        }
        if (node.isBoolean()) {
            return node.asBoolean();
        }
        throw new ToolException("argument '" + name + "' must be true or false, was " + node);
    }

    @Override
    public List<String> strings(String name) {
        JsonNode node = root.get(name);
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw new ToolException("argument '" + name + "' must be an array of strings, was " + node.getNodeType());
        }
        List<String> values = new ArrayList<>(node.size());
        for (JsonNode element : node) {
            if (!element.isString()) {
                throw new ToolException("argument '" + name + "' must hold only strings, found " + element);
            }
            values.add(element.asString());
        }
        return List.copyOf(values);
    }

    @Override
    public String json() {
        return json;
    }

    private static String abbreviate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "…";
    }
}
