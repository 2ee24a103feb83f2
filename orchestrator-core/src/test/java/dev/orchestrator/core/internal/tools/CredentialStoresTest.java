package dev.orchestrator.core.internal.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the user's credential stores hold, for a machine where no sandbox hides them. */
class CredentialStoresTest {

    @TempDir
    Path home;

    @Test
    void takesPrivateKeysLineByLineAndTheSecretsOfEachStoresFormat() throws IOException {
        write(".ssh/id_ed25519", """
                -----BEGIN OPENSSH PRIVATE KEY-----
                b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ
                AAAAC3NzaC1lZDI1NTE5AAAAIOq4ZvKrL0mG7dQ
                -----END OPENSSH PRIVATE KEY-----
                """);
        write(".ssh/id_ed25519.pub", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPublicPart me@host");
        write(".aws/credentials", "[default]\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG\nregion = eu-west-1\n");
        write(".docker/config.json",
                "{\"auths\":{\"https://index.docker.io/v1/\":{\"auth\":\"ZG9ja2VyOnNlY3JldA==\"}}}");
        write(".kube/config", "users:\n- name: dev\n  user:\n    client-key-data: LS0tLS1CRUdJTiBLZXk=\n"
                + "    token: kube-token-123456\n");
        write(".git-credentials", "https://alice:git-store-pass1@github.com\n");
        write(".netrc", "machine example.com login alice password netrc-pass-2\n");
        write(".pgpass", "localhost:5432:app:alice:pgpass-pass-3\n");
        write("notes/.aws-like", "aws_secret_access_key = not-in-a-store");

        Set<String> secrets = Set.copyOf(CredentialStores.secretsIn(List.of(home)));

        for (String expected : List.of("b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ",
                "AAAAC3NzaC1lZDI1NTE5AAAAIOq4ZvKrL0mG7dQ", "wJalrXUtnFEMI/K7MDENG", "ZG9ja2VyOnNlY3JldA==",
                "LS0tLS1CRUdJTiBLZXk=", "kube-token-123456", "git-store-pass1", "netrc-pass-2", "pgpass-pass-3")) {
            assertTrue(secrets.contains(expected), expected + " is missing from " + secrets);
        }
        for (String kept : List.of("AAAAC3NzaC1lZDI1NTE5AAAAIPublicPart", "eu-west-1", "not-in-a-store", "alice")) {
            assertTrue(secrets.stream().noneMatch(secret -> secret.contains(kept)), kept + " is no secret: " + secrets);
        }
    }

    @Test
    void aHomeWithoutStoresHoldsNothing() {
        assertEquals(List.of(), CredentialStores.secretsIn(List.of(home)));
    }

    private void write(String path, String content) throws IOException {
        Path file = home.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }
}
