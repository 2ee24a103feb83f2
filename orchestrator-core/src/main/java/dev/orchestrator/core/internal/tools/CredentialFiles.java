package dev.orchestrator.core.internal.tools;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The credentials kept in files rather than in the JVM's environment: a project's dotenv files ({@code .env},
 * {@code .env.local}, {@code .envrc}, ...; not the examples meant to be committed), and the build settings that
 * the sandbox leaves readable because builds need them ({@code .npmrc}, {@code gradle.properties}, Maven's
 * {@code settings.xml}), in the workspace and in the user's home, and the tokens a CI checkout leaves in the
 * workspace's {@code .git/config}. A task that reads such a file, or runs a program that prints what it loaded,
 * would otherwise pass them on to the model and the journal.
 */
public final class CredentialFiles {

    private static final System.Logger LOG = System.getLogger(CredentialFiles.class.getName());

    /** Deep enough for a service's own .env in a monorepo; the walk is on the mission's first tool call. */
    private static final int MAX_DEPTH = 6;
    /** Where the walk stops looking, so that a start never waits on a huge tree. */
    private static final int MAX_ENTRIES = 50_000;
    /** A credential file larger than this is something else, and is not read. */
    static final long MAX_BYTES = 1024 * 1024;
    /** Directories that hold dependencies, builds and history, never a project's own settings. */
    private static final Set<String> SKIPPED_DIRECTORIES = Set.of(".git", ".hg", ".svn", "node_modules", "target",
            "build", "dist", ".gradle", ".venv", "venv", "__pycache__", ".idea", ".cache");
    private static final Pattern DOTENV_NAME = Pattern.compile(
            "\\.env(rc)?|\\.env\\.(?!(example|sample|template|dist|defaults|schema)$)[^/]+");
    private static final Pattern DOTENV_ASSIGNMENT = Pattern.compile(
            "\\s*(?:export\\s+)?([A-Za-z_][A-Za-z0-9_.]*)\\s*=\\s*(.*)");
    /** A line of .npmrc or of a properties file: {@code //registry.npmjs.org/:_authToken=...}, {@code a.b=c}. */
    private static final Pattern KEY_VALUE = Pattern.compile("\\s*([^#;!\\s=][^=]*?)\\s*=\\s*(.*)");
    private static final Pattern MAVEN_PASSWORD = Pattern.compile("<(password|passphrase)>\\s*([^<]+?)\\s*</\\1>");
    /** An HTTP header a git config sends, {@code extraheader = AUTHORIZATION: basic ...}, as a CI checkout sets. */
    private static final Pattern AUTHORIZATION = Pattern.compile(
            "(?i)authorization:\\s*(basic|bearer|token)\\s+([A-Za-z0-9+/=._~-]{6,})");
    /** The build settings in the user's home that hold credentials and that the sandbox leaves readable. */
    private static final List<String> IN_HOME = List.of(".npmrc", ".m2/settings.xml", ".gradle/gradle.properties");

    private CredentialFiles() {
    }

    /**
     * The values to redact ({@link Redactor#secretsOf}) of every credential file in {@code workspace}, apart from
     * those under {@code skipped}, of the build settings in the user's home and of the user's credential stores.
     */
    public static List<String> secrets(Path workspace, Collection<Path> skipped) {
        return secrets(workspace, skipped, CredentialStores.homes());
    }

    /** {@link #secrets(Path, Collection)} with {@code homes} as the user's home directories. */
    static List<String> secrets(Path workspace, Collection<Path> skipped, Collection<Path> homes) {
        List<String> secrets = new ArrayList<>();
        Walk walk = new Walk(skipped, secrets);
        try {
            Files.walkFileTree(workspace, EnumSet.noneOf(FileVisitOption.class), MAX_DEPTH, walk);
        } catch (IOException e) {
            throw new UncheckedIOException("could not look for credential files in " + workspace, e);
        }
        if (walk.entries > MAX_ENTRIES) {
            LOG.log(System.Logger.Level.WARNING, "stopped looking for credential files in {0} after {1} entries: "
                    + "credentials in one further down are not redacted; register them with Mission.Builder.secret",
                    workspace, MAX_ENTRIES);
        }
        // what a CI checkout leaves for the next push: a token in a remote's URL or in an extra header
        Path gitConfig = workspace.resolve(".git/config");
        if (Files.exists(gitConfig)) {
            read(gitConfig, secrets);
        }
        for (Path home : homes) {
            for (String file : IN_HOME) {
                Path path = home.resolve(file);
                if (Files.exists(path)) {
                    read(path, secrets);
                }
            }
        }
        secrets.addAll(CredentialStores.secretsIn(homes));
        return secrets;
    }

    /** The values to redact in {@code text}, the content of the credential file named {@code fileName}. */
    static List<String> secretsIn(String fileName, String text) {
        if (DOTENV_NAME.matcher(fileName).matches()) {
            return dotenvSecrets(text);
        }
        List<String> secrets = new ArrayList<>();
        if (fileName.equals("settings.xml")) {
            Matcher password = MAVEN_PASSWORD.matcher(text);
            while (password.find()) {
                Redactor.secretsOf(password.group(1), password.group(2)).forEach(secrets::add);
            }
        } else if (fileName.equals("config")) {
            Matcher authorization = AUTHORIZATION.matcher(text);
            while (authorization.find()) {
                secrets.add(authorization.group(2));
                if (authorization.group(1).equalsIgnoreCase("basic")) {
                    basicPassword(authorization.group(2)).ifPresent(secrets::add);
                }
            }
            text.lines().map(KEY_VALUE::matcher).filter(Matcher::matches)
                    .forEach(line -> Redactor.secretsOf("url", line.group(2).strip()).forEach(secrets::add));
        } else {
            text.lines().map(KEY_VALUE::matcher).filter(Matcher::matches)
                    .forEach(line -> Redactor.secretsOf(line.group(1), line.group(2).strip()).forEach(secrets::add));
        }
        return secrets;
    }

    /** The password of HTTP basic credentials, {@code base64(user:password)}, which a command may print decoded. */
    private static Optional<String> basicPassword(String credentials) {
        try {
            String decoded = new String(Base64.getDecoder().decode(credentials), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon < 0 ? Optional.empty() : Optional.of(decoded.substring(colon + 1))
                    .filter(password -> password.length() >= 6);
        } catch (IllegalArgumentException e) {
            return Optional.empty(); // not base64 after all: the header's value itself is redacted
        }
    }

    private static boolean isCredentialFile(String fileName) {
        return DOTENV_NAME.matcher(fileName).matches() || fileName.equals(".npmrc")
                || fileName.equals("gradle.properties");
    }

    private static List<String> dotenvSecrets(String text) {
        List<String> secrets = new ArrayList<>();
        List<String> lines = text.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            Matcher assignment = DOTENV_ASSIGNMENT.matcher(lines.get(i));
            if (!assignment.matches()) {
                continue;
            }
            String rest = assignment.group(2);
            char quote = rest.isEmpty() ? ' ' : rest.charAt(0);
            String value;
            if (quote == '"' || quote == '\'') {
                // a quoted value may go on over several lines, as a PEM key does
                StringBuilder quoted = new StringBuilder(rest.substring(1));
                while (closingQuote(quoted, quote) < 0 && i + 1 < lines.size()) {
                    quoted.append('\n').append(lines.get(++i));
                }
                int end = closingQuote(quoted, quote);
                value = end < 0 ? quoted.toString() : quoted.substring(0, end);
                if (quote == '"') {
                    // the program that loads it sees \n as a line break, and prints it so
                    Redactor.secretsOf(assignment.group(1), value.replace("\\n", "\n")).forEach(secrets::add);
                }
            } else {
                int comment = rest.indexOf(" #");
                value = (comment < 0 ? rest : rest.substring(0, comment)).strip();
            }
            Redactor.secretsOf(assignment.group(1), value).forEach(secrets::add);
        }
        return secrets;
    }

    private static int closingQuote(CharSequence text, char quote) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\\' && quote == '"') {
                i++;
            } else if (text.charAt(i) == quote) {
                return i;
            }
        }
        return -1;
    }

    private static final class Walk extends SimpleFileVisitor<Path> {
        private final Collection<Path> skipped;
        private final List<String> secrets;
        int entries;

        Walk(Collection<Path> skipped, List<String> secrets) {
            this.skipped = skipped;
            this.secrets = secrets;
        }

        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
            if (++entries > MAX_ENTRIES) {
                return FileVisitResult.TERMINATE;
            }
            Path name = dir.getFileName();
            boolean skip = skipped.contains(dir) || name != null && SKIPPED_DIRECTORIES.contains(name.toString());
            return skip ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
            if (++entries > MAX_ENTRIES) {
                return FileVisitResult.TERMINATE;
            }
            if (isCredentialFile(file.getFileName().toString())) {
                read(file, secrets);
            }
            return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException e) {
            return FileVisitResult.CONTINUE; // a directory the user cannot read holds nothing a command could print
        }
    }

    private static void read(Path file, List<String> secrets) {
        try {
            // a link is followed: the file tools refuse a link out of the workspace, but a command may read it
            if (Files.isRegularFile(file) && Files.size(file) <= MAX_BYTES) {
                secrets.addAll(secretsIn(file.getFileName().toString(),
                        new String(Files.readAllBytes(file), StandardCharsets.UTF_8)));
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "could not read {0} to redact its credentials: {1}", file,
                    e.toString());
        }
    }
}
