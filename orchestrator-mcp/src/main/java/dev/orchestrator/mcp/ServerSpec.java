package dev.orchestrator.mcp;

import dev.orchestrator.api.CommandSandbox;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** How to reach one MCP server: a command that speaks MCP on its standard streams, or a Streamable HTTP URL. */
sealed interface ServerSpec {

    /** The server's name, which prefixes its tools' names. */
    String name();

    /**
     * The credentials given for the server, which the mission redacts from tool results (a server that echoes its
     * token, an error that quotes it): the values of secret-looking variables and headers ({@code Authorization}'s
     * token too, without its scheme) and of the URL's secret-looking query parameters.
     */
    Set<String> credentials();

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

        @Override
        public Set<String> credentials() {
            return secretsOf(environment);
        }

        /** The server's environment, from the JVM's. */
        Map<String, String> environmentFrom(Map<String, String> jvm) {
            Map<String, String> child = new HashMap<>(CommandSandbox.childEnvironment(jvm, passed));
            child.putAll(environment);
            return child;
        }
    }

    private static Set<String> secretsOf(Map<String, String> variables) {
        Set<String> secrets = new TreeSet<>();
        variables.forEach((name, value) -> {
            if (CommandSandbox.looksSecret(name) && !value.isBlank()) {
                secrets.add(value);
                // Authorization: Bearer <token>, where a server may show the token alone
                String token = value.strip().substring(value.strip().lastIndexOf(' ') + 1);
                secrets.add(token);
            }
        });
        return secrets;
    }

    /** A Streamable HTTP endpoint, and the headers sent on every request to it (a token, an API key). */
    record Http(String name, URI url, Map<String, String> headers) implements ServerSpec {
        public Http {
            headers = Map.copyOf(headers);
        }

        @Override
        public Set<String> credentials() {
            Map<String, String> given = new HashMap<>(headers);
            Optional.ofNullable(url.getRawQuery()).stream().flatMap(query -> Arrays.stream(query.split("&")))
                    .map(parameter -> parameter.split("=", 2)).filter(pair -> pair.length == 2)
                    .forEach(pair -> given.put(URLDecoder.decode(pair[0], StandardCharsets.UTF_8),
                            URLDecoder.decode(pair[1], StandardCharsets.UTF_8)));
            return secretsOf(given);
        }

        /** Names the headers only: their values are credentials, which a record's own toString would print. */
        @Override
        public String toString() {
            return "Http[name=" + name + ", url=" + url + ", headers=" + new TreeSet<>(headers.keySet()) + "]";
        }
    }
}
