package dev.orchestrator.core.internal.tools;

import dev.orchestrator.api.CommandSandbox;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Replaces the values of every credential the mission knows by {@code [redacted]}: the last line of defence when a
 * command prints one anyway (through {@code env}, {@code /proc/<pid>/environ}, a config file), so that it reaches
 * neither the model nor the journal nor an event.
 */
public final class Redactor {

    /** A redactor that changes nothing. */
    public static final Redactor NONE = new Redactor(List.of());

    /** Values from secret-looking variables shorter than this are flags or switches, not credentials. */
    private static final int MIN_ENVIRONMENT_SECRET = 6;
    /** A URL's user name this long is a token (GitHub's are 40 characters and more), not a person's name. */
    private static final int MIN_TOKEN_AS_USER = 20;

    static final String MARK = "[redacted]";

    private final List<String> secrets;

    private Redactor(Collection<String> secrets) {
        // longest first, so that a secret containing another is replaced whole
        this.secrets = secrets.stream().filter(s -> !s.isEmpty()).distinct()
                .sorted(Comparator.comparingInt(String::length).reversed()).toList();
    }

    /**
     * Redacts the values of {@code environment}'s variables whose names look secret (at least
     * {@value #MIN_ENVIRONMENT_SECRET} characters long), and every one of {@code known} (provider keys, values the
     * user registered), whatever its length.
     */
    public static Redactor of(Map<String, String> environment, Collection<String> known) {
        TreeSet<String> values = new TreeSet<>(known);
        environment.forEach((name, value) -> secretsOf(name, value).forEach(values::add));
        return new Redactor(values);
    }

    /**
     * What to redact of a variable: its value when its name looks secret, as given, stripped and line by line (a
     * key in PEM form is printed a line at a time), and the password of a URL with credentials in it
     * ({@code DATABASE_URL=postgres://app:password@db/app}, or a token alone as its user name) whatever the name.
     * Nothing shorter than
     * {@value #MIN_ENVIRONMENT_SECRET} characters.
     */
    static Stream<String> secretsOf(String name, String value) {
        Stream<String> whole = Stream.empty();
        // a path to a file (AWS_CA_BUNDLE, GOOGLE_APPLICATION_CREDENTIALS) is where a secret is, not the secret, and
        // a reference to a variable (${NPM_TOKEN}) is where its value is
        if (CommandSandbox.looksSecret(name) && !isExistingPath(value) && !value.startsWith("${")) {
            whole = Stream.concat(Stream.of(value, value.strip()), value.lines().map(String::strip));
        }
        return Stream.concat(whole, urlPassword(value).stream())
                .filter(secret -> secret.strip().length() >= MIN_ENVIRONMENT_SECRET);
    }

    private static Optional<String> urlPassword(String value) {
        int scheme = value.indexOf("://");
        int at = value.lastIndexOf('@');
        if (scheme < 0 || at < scheme) {
            return Optional.empty();
        }
        String userInfo = value.substring(scheme + 3, at);
        int colon = userInfo.indexOf(':');
        if (userInfo.indexOf('/') >= 0) {
            return Optional.empty(); // the @ is in the path
        }
        // a user name alone is a token when it is as long as one (https://<token>@github.com/...)
        return colon >= 0 ? Optional.of(userInfo.substring(colon + 1))
                : userInfo.length() >= MIN_TOKEN_AS_USER ? Optional.of(userInfo) : Optional.empty();
    }

    private static boolean isExistingPath(String value) {
        try {
            return value.startsWith("/") && Files.exists(Path.of(value));
        } catch (InvalidPathException e) {
            return false;
        }
    }

    /** {@code text} with every secret replaced by {@code [redacted]}. */
    public String redact(String text) {
        String result = text;
        for (String secret : secrets) {
            if (result.contains(secret)) {
                result = result.replace(secret, MARK);
            }
        }
        return result;
    }

    /** How many values are redacted, never which. */
    @Override
    public String toString() {
        return "Redactor[" + secrets.size() + " values]";
    }
}
