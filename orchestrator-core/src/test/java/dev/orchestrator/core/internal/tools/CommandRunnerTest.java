package dev.orchestrator.core.internal.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandRunnerTest {

    @TempDir
    Path directory;

    @Test
    void aCommandRunsInTheDirectoryAndReportsItsExitCodeAndOutput() {
        CommandResult result = new CommandRunner(directory, 4096).run("pwd; echo err >&2; exit 3", Duration.ofSeconds(30));

        assertEquals(3, result.exitCode());
        assertFalse(result.timedOut());
        assertTrue(result.output().contains(directory.toString()), result.output());
        assertTrue(result.output().contains("err"), result.output());
    }

    @Test
    void aTimeoutEndsTheWholeProcessTree() throws IOException, InterruptedException, ExecutionException,
            TimeoutException {
        CommandResult result = new CommandRunner(directory, 4096)
                .run("sleep 300 & echo $! > child.pid; echo started; wait", Duration.ofMillis(500));

        assertTrue(result.timedOut());
        assertEquals(-1, result.exitCode());
        assertTrue(result.output().contains("started"), result.output());
        long childPid = Long.parseLong(Files.readString(directory.resolve("child.pid")).strip());
        var child = ProcessHandle.of(childPid);
        if (child.isPresent()) {
            // the kill was sent; wait for the exit event rather than sleeping
            child.get().onExit().get(10, TimeUnit.SECONDS);
        }
        assertFalse(ProcessHandle.of(childPid).map(ProcessHandle::isAlive).orElse(false),
                "the background child survived the timeout");
    }

    @Test
    void longOutputKeepsItsBeginningAndEndWithAMarker() {
        CommandResult result = new CommandRunner(directory, 1000)
                .run("echo FIRST; seq 1 20000; echo LAST", Duration.ofSeconds(30));

        assertEquals(0, result.exitCode());
        assertTrue(result.output().startsWith("FIRST"), result.output());
        assertTrue(result.output().strip().endsWith("LAST"), result.output());
        assertTrue(result.output().contains("bytes of output left out"), result.output());
        assertTrue(result.output().length() < 1200, "length " + result.output().length());
    }

    @Test
    void secretsAreRemovedFromTheChildEnvironment() {
        Map<String, String> environment = new HashMap<>(Map.of("OPENAI_API_KEY", "sk-1", "ANTHROPIC_API_KEY", "a",
                "GITHUB_TOKEN", "t", "DB_PASSWORD", "p", "PATH", "/bin", "HOME", "/root", "my_secret", "s"));

        CommandRunner.scrubSecrets(environment);

        assertEquals(Map.of("PATH", "/bin", "HOME", "/root"), environment);
    }
}
