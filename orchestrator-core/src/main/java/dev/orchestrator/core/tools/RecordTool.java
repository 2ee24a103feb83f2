package dev.orchestrator.core.tools;

import dev.orchestrator.api.Tool;
import dev.orchestrator.api.ToolArguments;
import dev.orchestrator.api.ToolContext;
import dev.orchestrator.api.ToolException;
import dev.orchestrator.api.ToolResult;
import dev.orchestrator.core.internal.json.Json;
import java.util.Objects;
import java.util.function.BiFunction;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * A {@link Tool} whose arguments are a Java record: its JSON schema is derived from the record's components, and
 * each call's arguments arrive as an instance of it, so no one writes the schema or parses the JSON by hand.
 *
 * <pre>{@code
 * record Lookup(String isbn, Optional<Boolean> withReviews) { }
 * Tool lookup = RecordTool.of("lookup_book", "Finds a book by ISBN", Lookup.class,
 *         (args, context) -> ToolResult.ok(catalogue.find(args.isbn())));
 * }</pre>
 *
 * Components may be strings, numbers, booleans, enums, lists, sets and arrays, string-keyed maps, nested records,
 * and {@code Optional} of any of these; every component but an {@code Optional} one is required. Arguments the
 * model gets wrong (missing, mistyped, not JSON) go back to it as an error naming the argument.
 *
 * @param <A> the arguments' record type
 */
public final class RecordTool<A extends Record> implements Tool {

    private final String name;
    private final String description;
    private final Class<A> arguments;
    private final RecordSchema schema;
    private final BiFunction<A, ToolContext, ToolResult> body;

    private RecordTool(String name, String description, Class<A> arguments,
            BiFunction<A, ToolContext, ToolResult> body) {
        this.name = Objects.requireNonNull(name, "name");
        this.description = Objects.requireNonNull(description, "description");
        this.arguments = Objects.requireNonNull(arguments, "arguments");
        this.schema = RecordSchema.of(arguments);
        this.body = Objects.requireNonNull(body, "body");
    }

    /**
     * A tool named {@code name} whose arguments are records of type {@code arguments}.
     *
     * @param name the name the model calls it by
     * @param description what it does and when to use it, for the model
     * @param arguments the record class of its arguments
     * @param body what a call does, given the arguments and the task's context
     * @param <A> the arguments' record type
     * @return the tool
     * @throws IllegalArgumentException if a component's type has no JSON schema here; the message names it
     */
    public static <A extends Record> RecordTool<A> of(String name, String description, Class<A> arguments,
            BiFunction<A, ToolContext, ToolResult> body) {
        return new RecordTool<>(name, description, arguments, body);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public String inputSchema() {
        return schema.json();
    }

    @Override
    public ToolResult execute(ToolArguments given, ToolContext context) {
        return body.apply(parse(given.json()), context);
    }

    /** The arguments as a record, or a refusal for the model that names what is missing or wrong. */
    A parse(String json) {
        JsonNode tree;
        try {
            tree = Json.MAPPER.readTree(json);
        } catch (JacksonException e) {
            throw new ToolException("the arguments are not valid JSON: " + e.getOriginalMessage());
        }
        schema.requireComponents(tree);
        try {
            return Json.MAPPER.treeToValue(tree, arguments);
        } catch (JacksonException e) {
            throw new ToolException("the arguments do not match the schema: " + e.getOriginalMessage());
        }
    }
}
