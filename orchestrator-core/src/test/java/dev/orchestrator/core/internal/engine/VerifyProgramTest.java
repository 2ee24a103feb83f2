package dev.orchestrator.core.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.Mission;
import dev.orchestrator.core.llm.ScriptedProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VerifyProgramTest {

    @TempDir
    Path dir;

    private Path program(String name, String permissions) throws IOException {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path file = Files.writeString(bin.resolve(name), "#!/bin/sh\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(permissions));
        return bin;
    }

    @Test
    void aBareNameNoDirectoryOfThePathHoldsIsMissing() throws IOException {
        String path = "/nonexistent:" + program("mvn", "rwxr-xr-x");

        assertEquals(Optional.of("mvnn"), VerifyProgram.missing("mvnn -q test", dir, path));
        assertEquals(Optional.empty(), VerifyProgram.missing("mvn -q test", dir, path));
        assertEquals(Optional.of("pytest"), VerifyProgram.missing("CI=1 LANG=C pytest -q", dir, path));
        assertEquals(Optional.empty(), VerifyProgram.missing("CI=1 mvn test", dir, path));
    }

    @Test
    void aFileThatCannotBeRunIsNoProgram() throws IOException {
        String path = program("gradle", "rw-r--r--").toString();

        assertEquals(Optional.of("gradle"), VerifyProgram.missing("gradle test", dir, path));
    }

    @Test
    void pathsShellSyntaxAndBuiltinsAreLeftToTheShell() {
        String path = "/nonexistent";

        for (String command : new String[] {"./gradlew test", "bin/check", "(cd app && make)", "test -f a.txt",
            "for f in a b; do test -f $f; done", "true", "cd app && ./run-tests", "\"my tool\" --check",
            "{ make; }", "if true; then exit 0; fi", "$TOOL check", "X=1"}) {
            assertEquals(Optional.empty(), VerifyProgram.missing(command, dir, path), command);
        }
    }

    @Test
    void anEmptyOrRelativeEntryOfThePathIsTheWorkspace() throws IOException {
        Files.createDirectories(dir.resolve("tools"));
        Path local = Files.writeString(dir.resolve("tools/check"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(local, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.copy(local, dir.resolve("here"));

        assertEquals(Optional.empty(), VerifyProgram.missing("check", dir, "/nonexistent:tools"));
        assertEquals(Optional.empty(), VerifyProgram.missing("here", dir, "/nonexistent::"));
        assertEquals(Optional.of("here"), VerifyProgram.missing("here", dir, "/nonexistent"));
    }

    @Test
    void aMissionWhoseVerifyCannotRunStopsBeforeItsFirstCallAndJournalsNothing() throws IOException {
        Path workspace = Files.createDirectories(dir.resolve("ws"));
        Path journal = workspace.resolve(".orchestrator");
        ScriptedProvider provider = ScriptedProvider.builder().build();
        Mission mission = Mission.builder().goal("Add a test").workspace(workspace).provider(provider)
                .verifyWith("no-such-program-e2b7 -q test").journal(journal).build();

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, mission::run);

        assertTrue(e.getMessage().startsWith("the verify command 'no-such-program-e2b7 -q test' runs "
                + "'no-such-program-e2b7', which is not a command on this machine: no directory on the commands' "
                + "PATH ("), e.getMessage());
        assertTrue(e.getMessage().endsWith("install it, or correct the command (Mission.Builder.verifyWith(...))"),
                e.getMessage());
        assertEquals(0, provider.callCount());
        try (Stream<Path> files = Files.exists(journal) ? Files.list(journal) : Stream.empty()) {
            assertEquals(0, files.count(), "nothing journaled");
        }
    }
}
