package dev.orchestrator.core.tools;

import dev.orchestrator.api.ToolException;
import dev.orchestrator.core.internal.json.Json;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** The JSON schema of a record's components, by a small reflective walk, and the check of required ones. */
final class RecordSchema {

    private static final Set<Class<?>> INTEGERS = Set.of(int.class, long.class, short.class, byte.class,
            Integer.class, Long.class, Short.class, Byte.class, BigInteger.class);
    private static final Set<Class<?>> NUMBERS = Set.of(double.class, float.class, Double.class, Float.class,
            BigDecimal.class);

    private final ObjectNode schema;
    private final Map<String, String> required;

    private RecordSchema(ObjectNode schema, Map<String, String> required) {
        this.schema = schema;
        this.required = required;
    }

    static RecordSchema of(Class<? extends Record> type) {
        Map<String, String> required = new LinkedHashMap<>();
        ObjectNode schema = object(type, type.getSimpleName(), required);
        return new RecordSchema(schema, required);
    }

    String json() {
        return Json.MAPPER.writeValueAsString(schema);
    }

    /** Refuses arguments that lack a required top-level component, naming it and its JSON type. */
    void requireComponents(JsonNode arguments) {
        if (!arguments.isObject()) {
            throw new ToolException("the arguments must be a JSON object");
        }
        required.forEach((name, jsonType) -> {
            if (!arguments.has(name) || arguments.get(name).isNull()) {
                throw new ToolException("missing required argument '" + name + "' (" + jsonType + ")");
            }
        });
    }

    private static ObjectNode object(Class<?> type, String path, Map<String, String> topRequired) {
        ObjectNode node = Json.MAPPER.createObjectNode().put("type", "object");
        ObjectNode properties = node.putObject("properties");
        List<String> required = new ArrayList<>();
        for (RecordComponent component : type.getRecordComponents()) {
            Type generic = component.getGenericType();
            boolean optional = component.getType() == Optional.class;
            Type valueType = optional ? argument(generic, 0, path + "." + component.getName()) : generic;
            ObjectNode property = schema(valueType, path + "." + component.getName());
            properties.set(component.getName(), property);
            if (!optional) {
                required.add(component.getName());
                if (topRequired != null) {
                    topRequired.put(component.getName(), property.path("type").asString());
                }
            }
        }
        ArrayNode names = node.putArray("required");
        required.forEach(names::add);
        node.put("additionalProperties", false);
        return node;
    }

    private static ObjectNode schema(Type type, String path) {
        Class<?> raw = raw(type, path);
        ObjectNode node = Json.MAPPER.createObjectNode();
        if (raw == String.class || raw == char.class || raw == Character.class) {
            return node.put("type", "string");
        }
        if (INTEGERS.contains(raw)) {
            return node.put("type", "integer");
        }
        if (NUMBERS.contains(raw)) {
            return node.put("type", "number");
        }
        if (raw == boolean.class || raw == Boolean.class) {
            return node.put("type", "boolean");
        }
        if (raw.isEnum()) {
            ArrayNode values = node.put("type", "string").putArray("enum");
            for (Object constant : raw.getEnumConstants()) {
                values.add(((Enum<?>) constant).name());
            }
            return node;
        }
        if (raw.isRecord()) {
            return object(raw, path, null);
        }
        if (raw.isArray()) {
            Type item = type instanceof GenericArrayType array ? array.getGenericComponentType()
                    : raw.getComponentType();
            node.put("type", "array").set("items", schema(item, path + "[]"));
            return node;
        }
        if (Collection.class.isAssignableFrom(raw)) {
            node.put("type", "array").set("items", schema(argument(type, 0, path), path + "[]"));
            return node;
        }
        if (Map.class.isAssignableFrom(raw) && argument(type, 0, path) == String.class) {
            node.put("type", "object").set("additionalProperties", schema(argument(type, 1, path), path + "{}"));
            return node;
        }
        throw unsupported(path, type);
    }

    private static Class<?> raw(Type type, String path) {
        if (type instanceof Class<?> c) {
            return c;
        }
        if (type instanceof ParameterizedType p && p.getRawType() instanceof Class<?> c) {
            return c;
        }
        if (type instanceof GenericArrayType) {
            return Object[].class;
        }
        throw unsupported(path, type);
    }

    private static Type argument(Type type, int index, String path) {
        if (type instanceof ParameterizedType p) {
            return p.getActualTypeArguments()[index];
        }
        throw new IllegalArgumentException("component " + path + " of type " + type.getTypeName()
                + " needs its type argument to have a JSON schema, such as List<String>");
    }

    private static IllegalArgumentException unsupported(String path, Type type) {
        return new IllegalArgumentException("no JSON schema for component " + path + " of type " + type.getTypeName()
                + ": use strings, numbers, booleans, enums, lists, string-keyed maps, Optional or records");
    }
}
