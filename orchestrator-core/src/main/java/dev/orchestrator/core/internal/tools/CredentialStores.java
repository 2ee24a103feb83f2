package dev.orchestrator.core.internal.tools;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Where a user's credentials live in their home directory: SSH keys, cloud and cluster credentials, the stores of
 * git, PostgreSQL and package registries. The sandbox mounts over them, so that a command (one a prompt injection
 * asked for, say) cannot print them for the model to read; what builds need (Maven's settings.xml, .npmrc,
 * gradle.properties) stays readable.
 */
final class CredentialStores {

    private static final List<String> IN_HOME = List.of(".ssh", ".aws", ".gnupg", ".kube", ".docker", ".azure",
            ".oci", ".password-store", ".config/gcloud", ".config/gh", ".config/hub", ".netrc", ".git-credentials",
            ".pgpass", ".pypirc", ".vault-token", ".m2/settings-security.xml", ".cargo/credentials",
            ".cargo/credentials.toml", ".terraform.d/credentials.tfrc.json");

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

    private static Optional<Path> realPath(Path path) {
        try {
            return Files.exists(path) ? Optional.of(path.toRealPath()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty(); // gone or unreadable since: nothing a command could read either
        }
    }
}
