package dev.orchestrator.mcp;

import java.net.URI;
import java.util.List;
import java.util.Map;

/** How to reach one MCP server: a command that speaks MCP on its standard streams, or a Streamable HTTP URL. */
sealed interface ServerSpec {

    /** The server's name, which prefixes its tools' names. */
    String name();

    record Stdio(String name, List<String> command, Map<String, String> environment) implements ServerSpec {
        public Stdio {
            command = List.copyOf(command);
            environment = Map.copyOf(environment);
        }
    }

    record Http(String name, URI url) implements ServerSpec {
    }
}
