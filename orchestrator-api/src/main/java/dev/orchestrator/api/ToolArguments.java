package dev.orchestrator.api;

import java.util.List;
import java.util.Optional;

/**
 * The arguments of one tool call, already parsed from the model's JSON. Getters for required arguments throw a
 * {@link ToolException} that names the missing or mistyped argument, so a tool can read what it needs and let the
 * engine tell the model what was wrong.
 */
public interface ToolArguments {

    /** The required string argument {@code name}. */
    String string(String name);

    /** The string argument {@code name}, if given. */
    Optional<String> optionalString(String name);

    /** The integer argument {@code name}, or {@code defaultValue} when it is not given. */
    long integer(String name, long defaultValue);

    /** The boolean argument {@code name}, or {@code defaultValue} when it is not given. */
    boolean bool(String name, boolean defaultValue);

    /** The array-of-strings argument {@code name}, empty when it is not given. */
    List<String> strings(String name);

    /** All arguments as JSON text. */
    String json();
}
