package dev.orchestrator.mcp;

import dev.orchestrator.api.CommandSandbox;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** How to reach one MCP server: a command that speaks MCP on its standard streams, or a Streamable HTTP URL. */
sealed interface ServerSpec {

    /** The server's name, which prefixes its tools' names. */
    String name();

    /**
     * A command started with the allowlisted environment commands get, the JVM's variables named in {@code passed},
     * and {@code environment}'s values.
     */
    record Stdio(String name, List<String> command, Map<String, String> environment, Set<String> passed)
            implements ServerSpec {
        public Stdio {
            command = List.copyOf(command);
            environment = Map.copyOf(environment);
            passed = Set.copyOf(passed);
        }

        /** The server's environment, from the JVM's. */
        Map<String, String> environmentFrom(Map<String, String> jvm) {
            Map<String, String> child = new HashMap<>(CommandSandbox.childEnvironment(jvm, passed));
            child.putAll(environment);
            return child;
        }
    }

    record Http(String name, URI url) implements ServerSpec {
    }
}
