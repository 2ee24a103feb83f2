package dev.orchestrator.mcp;

import dev.orchestrator.api.CommandSandbox;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

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

    /** A Streamable HTTP endpoint, and the headers sent on every request to it (a token, an API key). */
    record Http(String name, URI url, Map<String, String> headers) implements ServerSpec {
        public Http {
            headers = Map.copyOf(headers);
        }

        /** Names the headers only: their values are credentials, which a record's own toString would print. */
        @Override
        public String toString() {
            return "Http[name=" + name + ", url=" + url + ", headers=" + new TreeSet<>(headers.keySet()) + "]";
        }
    }
}
