package dev.orchestrator.api;

import java.util.List;
import java.util.Objects;

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

    /** Checks the todo and copies its lists. */
    public Todo {
        if (id == null || !isId(id)) {
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
     * Letters, digits, '_', '.' or '-', at least one: checked by hand, not by a regular expression, since a fresh
     * JVM's resume makes every todo of its snapshot and would load {@code java.util.regex} for this alone.
     */
    private static boolean isId(String id) {
        if (id.isEmpty()) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '.'
                    || c == '-')) {
                return false;
            }
        }
        return true;
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
