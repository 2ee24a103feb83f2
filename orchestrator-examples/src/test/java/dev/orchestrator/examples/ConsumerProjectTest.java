package dev.orchestrator.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Builds separate Maven projects with the Maven that runs this build: {@code src/it/jackson2-consumer}, on Jackson
 * 2.18 and depending on orchestrator-core, whose scripted mission completes when it imports orchestrator-bom and
 * fails with one clear line when it does not; and {@code src/it/kit-consumer}, which tests a mission with
 * orchestrator-test on JUnit 5.
 *
 * <p>The consumer resolves this reactor's artifacts from a temporary local repository that this test lays out
 * itself (jars of the modules' compiled classes and their poms, as {@code install} would, but without touching the
 * shared {@code ~/.m2}), and everything else from the build's own local repository, read as a remote one, before
 * Maven Central. That works within {@code mvn test}, where the reactor has compiled the classes but packaged no jar.
 */
class ConsumerProjectTest {

    private static final String VERSION = System.getProperty("orchestrator.version");
    private static final Path ROOT = Path.of(System.getProperty("reactor.root", "..")).toAbsolutePath().normalize();

    @TempDir
    static Path temp;

    private static Path settings;

    @BeforeAll
    static void stageTheReactor() throws IOException {
        Path repository = temp.resolve("repository");
        stage(repository, "orchestrator-parent", ROOT.resolve("pom.xml"), null);
        stage(repository, "orchestrator-bom", ROOT.resolve("orchestrator-bom/pom.xml"), null);
        for (String module : List.of("orchestrator-api", "orchestrator-core", "orchestrator-test")) {
            stage(repository, module, ROOT.resolve(module).resolve("pom.xml"),
                    ROOT.resolve(module).resolve("target/classes"));
        }
        Path seed = Path.of(System.getProperty("build.repository"));
        String repositories = """
                <repository><id>build-repository</id><url>%s</url><snapshots><enabled>false</enabled></snapshots>\
                </repository>""".formatted(seed.toUri());
        settings = Files.writeString(temp.resolve("settings.xml"), """
                <settings>
                  <localRepository>%s</localRepository>
                  <profiles><profile><id>seed</id>
                    <repositories>%s</repositories>
                    <pluginRepositories>%s</pluginRepositories>
                  </profile></profiles>
                  <activeProfiles><activeProfile>seed</activeProfile></activeProfiles>
                </settings>
                """.formatted(repository, repositories, repositories.replace("repository>", "pluginRepository>")));
    }

    @Test
    void anApplicationOnJackson2ThatImportsTheBomRunsAMissionToCompleted() throws Exception {
        String output = consumer("jackson2-consumer", "bom");

        assertTrue(output.contains("CONSUMER: COMPLETED with jackson-databind 2.18.2 and jackson-annotations 2.23"),
                output);
        assertTrue(output.contains("Tests run: 1, Failures: 0, Errors: 0"), output);
    }

    @Test
    void withoutTheBomTheMissionSaysInOneLineWhatToChange() throws Exception {
        String output = consumer("jackson2-consumer", "no-bom", "-DnoBom=true");

        assertTrue(output.contains("WITHOUT-BOM: jackson-annotations 2.18.2 is on the class path, and Orchestrator "
                + "for Java (through Jackson 3) needs 2.21 or newer: import dev.orchestrator:orchestrator-bom"), output);
    }

    @Test
    void aProjectOnJUnit5TestsItsMissionWithTheKit() throws Exception {
        String output = consumer("kit-consumer", "kit");

        assertTrue(output.contains("KIT: COMPLETED on JUnit 5.13.4"), output);
        assertTrue(output.contains("Tests run: 1, Failures: 0, Errors: 0"), output);
    }

    /**
     * Copies the consumer project {@code source} (under {@code src/it}) to a directory of its own and runs
     * {@code mvn test} on it; returns the output.
     */
    private static String consumer(String source, String name, String... extra) throws Exception {
        Path project = temp.resolve(name);
        copyTree(ROOT.resolve("orchestrator-examples/src/it").resolve(source), project);
        Path log = temp.resolve(name + ".log");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("maven.home"), "bin", "mvn")
                .toString(), "-B", "-s", settings.toString(), "-f", project.resolve("pom.xml").toString(),
                "-Dorchestrator.version=" + VERSION,
                "-Djunit.version=" + System.getProperty("junit.version"),
                "-Dresources.plugin.version=" + System.getProperty("resources.plugin.version"),
                "-Dcompiler.plugin.version=" + System.getProperty("compiler.plugin.version"),
                "-Dsurefire.plugin.version=" + System.getProperty("surefire.plugin.version"),
                "test"));
        command.addAll(List.of(extra));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().remove("MAVEN_OPTS");
        Process mvn = builder.start();
        boolean ended = mvn.waitFor(10, TimeUnit.MINUTES);
        if (!ended) {
            mvn.destroyForcibly().waitFor();
        }
        String output = Files.readString(log);
        assertTrue(ended, "the consumer build did not end in 10 minutes:\n" + output);
        assertEquals(0, mvn.exitValue(), output);
        return output;
    }

    /** Lays out one artifact as {@code install} would: its pom and, for a module with classes, a jar of them. */
    private static void stage(Path repository, String artifact, Path pom, Path classes) throws IOException {
        Path directory = Files.createDirectories(repository.resolve("dev/orchestrator").resolve(artifact)
                .resolve(VERSION));
        String base = artifact + "-" + VERSION;
        Files.copy(pom, directory.resolve(base + ".pom"), StandardCopyOption.REPLACE_EXISTING);
        if (classes == null) {
            return;
        }
        assertTrue(Files.isDirectory(classes), classes + " is missing: build the reactor first (mvn -B test)");
        try (OutputStream file = Files.newOutputStream(directory.resolve(base + ".jar"));
                JarOutputStream jar = new JarOutputStream(file); Stream<Path> files = Files.walk(classes)) {
            for (Path path : files.filter(Files::isRegularFile).sorted().toList()) {
                jar.putNextEntry(new JarEntry(classes.relativize(path).toString().replace('\\', '/')));
                Files.copy(path, jar);
                jar.closeEntry();
            }
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path path : paths.toList()) {
                Path target = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(path, target);
                }
            }
        }
    }
}
