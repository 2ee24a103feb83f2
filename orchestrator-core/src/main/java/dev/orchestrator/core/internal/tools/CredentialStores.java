package dev.orchestrator.core.internal.tools;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Where a user's credentials live in their home directory: SSH keys, cloud and cluster credentials, the stores of
 * git, PostgreSQL and package registries. The sandbox mounts over them, so that a command (one a prompt injection
 * asked for, say) cannot print them for the model to read; what builds need (Maven's settings.xml, .npmrc,
 * gradle.properties) stays readable. Where no sandbox runs, what they hold is redacted instead.
 */
final class CredentialStores {

    private static final List<String> IN_HOME = List.of(".ssh", ".aws", ".gnupg", ".kube", ".docker", ".azure",
            ".oci", ".password-store", ".config/gcloud", ".config/gh", ".config/hub", ".netrc", ".git-credentials",
            ".pgpass", ".pypirc", ".vault-token", ".m2/settings-security.xml", ".cargo/credentials",
            ".cargo/credentials.toml", ".terraform.d/credentials.tfrc.json");

    private static final Pattern PRIVATE_KEY = Pattern.compile(
            "-----BEGIN [A-Z ]*PRIVATE KEY-----(.*?)-----END [A-Z ]*PRIVATE KEY-----", Pattern.DOTALL);
    /** {@code aws_secret_access_key = ...}, {@code "auth": "..."}, {@code token: ...}: a key, then its value. */
    private static final Pattern ASSIGNMENT = Pattern.compile(
            "[\"']?([A-Za-z][\\w.-]*)[\"']?\\h*[:=]\\h*[\"']?([^\"'\\s,}]+)");
    private static final Pattern URL = Pattern.compile("[a-z][a-z0-9+.-]*://[^\\s\"']+");
    private static final Pattern NETRC_PASSWORD = Pattern.compile("\\bpassword\\s+(\\S+)");

    private CredentialStores() {
    }

    /** The home directories of this JVM's user: Java's idea of it and {@code $HOME}, which may differ. */
    static List<Path> homes() {
        Set<Path> homes = new LinkedHashSet<>();
        Optional.ofNullable(System.getProperty("user.home")).filter(home -> !home.isEmpty())
                .ifPresent(home -> homes.add(Path.of(home)));
        Optional.ofNullable(System.getenv("HOME")).filter(home -> !home.isEmpty())
                .ifPresent(home -> homes.add(Path.of(home)));
        return List.copyOf(homes);
    }

    /**
     * The credential stores that exist in {@code homes}, as real paths (a mount goes where a link leads), apart
     * from those at or above a path of {@code shown}: a directory the user made writable is theirs to share.
     */
    static List<Path> in(Collection<Path> homes, Collection<Path> shown) {
        List<Path> given = shown.stream().map(path -> path.toAbsolutePath().normalize()).toList();
        Set<Path> found = new LinkedHashSet<>();
        for (Path home : homes) {
            for (String store : IN_HOME) {
                realPath(home.resolve(store))
                        .filter(path -> given.stream().noneMatch(path::startsWith)
                                && given.stream().noneMatch(directory -> directory.startsWith(path)))
                        .ifPresent(found::add);
            }
        }
        return List.copyOf(found);
    }

    /**
     * What the credential stores of {@code homes} hold, to redact where no sandbox hides them (a machine without
     * bubblewrap, macOS): the lines of private keys, the values of secret-looking keys (AWS's, Docker's, kubectl's),
     * the passwords of URLs (git's store), of {@code .netrc} and of {@code .pgpass}. Read two levels deep; what is
     * not text (GnuPG's keyrings) is left alone.
     */
    static List<String> secretsIn(Collection<Path> homes) {
        List<String> secrets = new ArrayList<>();
        for (Path store : in(homes, List.of())) {
            try (Stream<Path> files = Files.walk(store, 2)) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    if (Files.size(file) <= CredentialFiles.MAX_BYTES) {
                        Text.tryDecode(Files.readAllBytes(file))
                                .ifPresent(text -> secrets.addAll(secretsIn(file.getFileName().toString(), text)));
                    }
                }
            } catch (IOException | UncheckedIOException e) {
                // a store the user cannot read holds nothing a command run as the user could print
            }
        }
        return secrets;
    }

    /** The values to redact in {@code text}, a file named {@code fileName} of a credential store. */
    static List<String> secretsIn(String fileName, String text) {
        List<String> secrets = new ArrayList<>();
        Matcher key = PRIVATE_KEY.matcher(text);
        while (key.find()) {
            // printed a line at a time as often as whole
            Redactor.secretsOf("PRIVATE_KEY", key.group(1)).forEach(secrets::add);
        }
        Matcher assignment = ASSIGNMENT.matcher(text);
        while (assignment.find()) {
            Redactor.secretsOf(assignment.group(1), assignment.group(2)).forEach(secrets::add);
        }
        Matcher url = URL.matcher(text);
        while (url.find()) {
            Redactor.secretsOf("url", url.group()).forEach(secrets::add);
        }
        Matcher netrc = NETRC_PASSWORD.matcher(text);
        while (netrc.find()) {
            secrets.add(netrc.group(1));
        }
        if (fileName.equals(".pgpass")) {
            // host:port:database:user:password
            text.lines().map(line -> line.split(":", 5)).filter(fields -> fields.length == 5)
                    .map(fields -> fields[4].strip()).filter(password -> !password.isEmpty()).forEach(secrets::add);
        }
        return secrets;
    }

    private static Optional<Path> realPath(Path path) {
        try {
            return Files.exists(path) ? Optional.of(path.toRealPath()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty(); // gone or unreadable since: nothing a command could read either
        }
    }
}
