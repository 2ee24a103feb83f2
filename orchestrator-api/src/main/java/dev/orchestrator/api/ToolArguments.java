package dev.orchestrator.api;

import java.util.List;
import java.util.Optional;

/**
 * The arguments of one tool call, already parsed from the model's JSON. Getters for required arguments throw a
 * {@link ToolException} that names the missing or mistyped argument, so a tool can read what it needs and let the
 * engine tell the model what was wrong.
 */
public interface ToolArguments {

    /**
     * {@return the required string argument {@code name}}
     *
     * @param name the argument's name
     */
    String string(String name);

    /**
     * {@return the string argument {@code name}, if given}
     *
     * @param name the argument's name
     */
    Optional<String> optionalString(String name);

    /**
     * {@return the integer argument {@code name}, or {@code defaultValue} when it is not given}
     *
     * @param name the argument's name
     * @param defaultValue what to return when the argument is absent
     */
    long integer(String name, long defaultValue);

    /**
     * {@return the boolean argument {@code name}, or {@code defaultValue} when it is not given}
     *
     * @param name the argument's name
     * @param defaultValue what to return when the argument is absent
     */
    boolean bool(String name, boolean defaultValue);

    /**
     * {@return the array-of-strings argument {@code name}, empty when it is not given}
     *
     * @param name the argument's name
     */
    List<String> strings(String name);

    /** {@return all arguments as JSON text} */
    String json();
}
