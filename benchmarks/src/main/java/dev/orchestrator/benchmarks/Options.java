package dev.orchestrator.benchmarks;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The {@code --name=value} arguments of a benchmark's main. */
final class Options {

    private Options() {
    }

    /**
     * The arguments by name.
     *
     * @throws IllegalArgumentException for an argument not of the form {@code --name=value} with a name in
     *     {@code known}, with {@code usage} in its message
     */
    static Map<String, String> parse(String[] args, Set<String> known, String usage) {
        Map<String, String> options = new LinkedHashMap<>();
        for (String arg : args) {
            if (!arg.startsWith("--") || !arg.contains("=") || !known.contains(arg.substring(2, arg.indexOf('=')))) {
                throw new IllegalArgumentException("unknown argument '" + arg + "': use " + usage);
            }
            options.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
        }
        return options;
    }

    /** The integers of a comma-separated list such as {@code 1000,5000}. */
    static List<Integer> integers(String list) {
        return Arrays.stream(list.split(",")).map(String::strip).map(Integer::valueOf).toList();
    }
}
