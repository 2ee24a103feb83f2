package dev.orchestrator.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CommandSandboxTest {

    @Test
    void namesOfCredentialsLookSecretInAnyCaseAndOtherNamesDoNot() {
        for (String secret : List.of("OPENAI_API_KEY", "github_token", "DB_PASSWORD", "Authorization",
                "client-key-data", "AWS_REGION", "SESSION_SECRET", "GH_PAT")) {
            assertEquals(true, CommandSandbox.looksSecret(secret), secret);
        }
        for (String plain : List.of("PATH", "KEYBOARD_LAYOUT", "MONKEY", "JAVA_HOME", "Accept", "PORT")) {
            assertEquals(false, CommandSandbox.looksSecret(plain), plain);
        }
    }

    @Test
    void aChildGetsTheAllowlistAndTheNamedVariablesOnly() {
        Map<String, String> jvm = Map.of("PATH", "/bin", "LC_ALL", "C", "OPENAI_API_KEY", "sk-1", "EXTRA", "x");

        assertEquals(Map.of("PATH", "/bin", "LC_ALL", "C", "EXTRA", "x"),
                CommandSandbox.childEnvironment(jvm, List.of("EXTRA")));
    }
}
