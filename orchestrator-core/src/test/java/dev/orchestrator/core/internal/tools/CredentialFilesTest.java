package dev.orchestrator.core.internal.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialFilesTest {

    @TempDir
    Path workspace;

    @Test
    void takesTheValuesOfSecretLookingNamesAndThePasswordsOfUrlsInEveryFormDotenvAllows() {
        String dotenv = """
                # comment
                export GITHUB_TOKEN=ghp_exported123
                API_KEY = spaced-value-1 # a comment after it
                SESSION_SECRET='single quoted #not a comment'
                PRIVATE_KEY="-----BEGIN KEY-----
                MIIEvQIBADANBgkqhkiG9w0
                -----END KEY-----"
                ESCAPED_PASSWORD="line-one\\nline-two"
                DATABASE_URL=postgres://app:db-password-1@db:5432/app
                PORT=8080
                SHORT_TOKEN=abc
                """;

        Set<String> secrets = new TreeSet<>(CredentialFiles.secretsIn(".env", dotenv));

        for (String expected : List.of("ghp_exported123", "spaced-value-1", "single quoted #not a comment",
                "MIIEvQIBADANBgkqhkiG9w0", "-----BEGIN KEY-----\nMIIEvQIBADANBgkqhkiG9w0\n-----END KEY-----",
                "line-one\\nline-two", "line-one", "line-two", "db-password-1")) {
            assertTrue(secrets.contains(expected), expected + " is missing from " + secrets);
        }
        for (String kept : List.of("8080", "abc", "postgres://app:db-password-1@db:5432/app")) {
            assertTrue(!secrets.contains(kept), kept + " is no secret: " + secrets);
        }
    }

    @Test
    void looksInCredentialFilesDownTheTreeAndInTheHomesBuildSettingsButNotInExamplesOrDependencies()
            throws IOException {
        write("ws/.env", "ROOT_TOKEN=root-secret-1");
        write("ws/services/api/.env.production", "API_KEY=api-secret-2");
        write("ws/.envrc", "export AWS_SECRET_ACCESS_KEY=aws-secret-3");
        write("ws/.npmrc", "registry=https://registry.example.com/\n//registry.example.com/:_authToken=npm-secret-4\n"
                + "//other.example.com/:_authToken=${NPM_TOKEN}");
        write("ws/gradle.properties", "org.gradle.jvmargs=-Xmx2g\nsigning.password=gradle-secret-5");
        write("ws/.env.example", "API_KEY=example-placeholder");
        write("ws/node_modules/lib/.env", "LIB_TOKEN=dependency-secret");
        write("ws/journal/.env", "JOURNAL_TOKEN=journal-secret");
        write("ws/notes.txt", "NOTE_TOKEN=not-a-credential-file");
        write("home/.m2/settings.xml", "<settings><servers><server><id>nexus</id><username>deployer</username>"
                + "<password>maven-secret-6</password></server></servers></settings>");
        write("home/.npmrc", "//registry.npmjs.org/:_authToken=npm-home-secret-7");
        // as actions/checkout leaves it, and a remote with a token for its user name
        write("ws/.git/config", """
                [remote "origin"]
                \turl = https://x-access-token:ghs_urlToken123456@github.com/o/r.git
                [remote "mirror"]
                \turl = https://ghp_tokenAsUser0123456789AB@github.com/o/r2.git
                [remote "public"]
                \turl = https://alice@example.com/o/r3.git
                [http "https://github.com/"]
                \textraheader = AUTHORIZATION: basic %s
                """.formatted(Base64.getEncoder().encodeToString(
                "x-access-token:ghs_headerToken98765".getBytes(StandardCharsets.UTF_8))));

        assertEquals(Set.of("root-secret-1", "api-secret-2", "aws-secret-3", "npm-secret-4", "gradle-secret-5",
                        "maven-secret-6", "npm-home-secret-7", "ghs_urlToken123456", "ghp_tokenAsUser0123456789AB",
                        "eC1hY2Nlc3MtdG9rZW46Z2hzX2hlYWRlclRva2VuOTg3NjU=", "ghs_headerToken98765"),
                Set.copyOf(CredentialFiles.secrets(workspace.resolve("ws"), List.of(workspace.resolve("ws/journal")),
                        List.of(workspace.resolve("home")))));
    }

    private void write(String path, String content) throws IOException {
        Path file = workspace.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }
}
