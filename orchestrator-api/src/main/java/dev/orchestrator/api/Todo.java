package dev.orchestrator.api;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One item of a mission's plan.
 *
 * @param id a short id unique within the mission, such as {@code todo-3}
 * @param description what to do, for the agent that does it
 * @param files the files it is expected to create or change, relative to the workspace
 * @param dependsOn the ids of todos that must be done first
 * @param role the role of the agent that does it, {@value Agent#WORKER} unless a custom agent is meant
 */
public record Todo(String id, String description, List<String> files, List<String> dependsOn, String role) {

    // compiled once: String.matches compiles its pattern on every call, once per todo of a plan or a snapshot
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_.-]+");

    /** Checks the todo and copies its lists. */
    public Todo {
        if (id == null || id.isBlank() || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException(
                    "todo id must be letters, digits, '_', '.' or '-', was '" + id + "'");
        }
        if (description == null || description.isBlank()) {
            throw new IllegalArgumentException("todo " + id + " needs a description");
        }
        files = List.copyOf(files);
        dependsOn = List.copyOf(dependsOn);
        Objects.requireNonNull(role, "role");
    }

    /**
     * {@return a todo for a {@value Agent#WORKER}}
     *
     * @param id the todo's id, unique in the mission
     * @param description the description
     * @param files the files
     * @param dependsOn the depends on
     */
    public static Todo of(String id, String description, List<String> files, List<String> dependsOn) {
        return new Todo(id, description, files, dependsOn, Agent.WORKER);
    }
}
