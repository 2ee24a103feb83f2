package dev.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/orchestrator} with a fake {@code java} on a bare PATH: it picks a JDK 21+ and hands it the jar and the
 * arguments, and with only an older Java it says so and which it tried.
 */
class LauncherScriptTest {

    private static final Path SCRIPT = Path.of("..", "bin", "orchestrator").toAbsolutePath().normalize();

    @TempDir
    Path bin;

    /** A PATH of the few tools the script uses and a {@code java} that reports {@code version}. */
    private void fakeJava(int version) throws IOException {
        for (String tool : new String[] {"awk", "dirname", "readlink"}) {
            Path real = Stream.of("/usr/bin/", "/bin/").map(d -> Path.of(d + tool)).filter(Files::isExecutable)
                    .findFirst().orElseThrow();
            Files.createSymbolicLink(bin.resolve(tool), real);
        }
        Path java = bin.resolve("java");
        Files.writeString(java, "#!/bin/sh\nif [ \"$1\" = -XshowSettings:properties ]; then\n"
                + "  echo '    java.specification.version = " + version + "' >&2; exit 0\nfi\necho \"ran: $*\"\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private OrchestratorCliTest.Run launch(Map<String, String> environment) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("/bin/sh", SCRIPT.toString(), "status", "--json");
        builder.environment().clear();
        builder.environment().put("PATH", bin.toString());
        builder.environment().put("ORCHESTRATOR_JDK_SEARCH", bin.resolve("no-such-dir").toString());
        builder.environment().putAll(environment);
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(1, TimeUnit.MINUTES));
        return new OrchestratorCliTest.Run(process.exitValue(), out, err);
    }

    @Test
    void aJdk21OrNewerRunsTheJarWithTheArguments() throws Exception {
        fakeJava(21);
        Path jar = Files.createFile(bin.resolve("orchestrator-cli.jar"));

        OrchestratorCliTest.Run run = launch(Map.of("ORCHESTRATOR_JAR", jar.toString()));

        assertEquals(0, run.exitCode(), run.err());
        assertEquals("ran: -jar " + jar + " status --json", run.out().strip());
    }

    @Test
    void withOnlyAnOlderJavaItSaysWhatItFoundAndWhatToInstall() throws Exception {
        fakeJava(17);

        OrchestratorCliTest.Run run = launch(Map.of());

        assertEquals(OrchestratorCli.CONFIGURATION, run.exitCode());
        assertTrue(run.err().contains("needs Java 21 or newer, and found none"), run.err());
        assertTrue(run.err().contains(bin.resolve("java") + " (Java 17)"), run.err());
        assertTrue(run.err().contains("set JAVA_HOME"), run.err());
    }
}
