package dev.orchestrator.core.internal.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.CommandSandbox;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
    void theChildEnvironmentIsAnAllowlistPlusWhatTheUserAdds() {
        Map<String, String> jvm = Map.of("OPENAI_API_KEY", "sk-1", "AWS_ACCESS_KEY_ID", "AKIA", "GITHUB_TOKEN", "t",
                "SOME_UNKNOWN", "x", "PATH", "/bin", "HOME", "/root", "LC_ALL", "C", "MY_SETTING", "y");

        assertEquals(Map.of("PATH", "/bin", "HOME", "/root", "LC_ALL", "C"),
                CommandSandbox.childEnvironment(jvm, List.of()));
        assertEquals(Map.of("PATH", "/bin", "HOME", "/root", "LC_ALL", "C", "MY_SETTING", "y"),
                CommandSandbox.childEnvironment(jvm, List.of("MY_SETTING")));
    }

    @Test
    void knownSecretsAreRedactedFromTheOutputEvenWhenTheCommandPrintsThem() {
        Redactor redactor = Redactor.of(Map.of("AWS_SECRET_ACCESS_KEY", "aws-canary-123", "GITHUB_TOKEN",
                "ghp_canary456", "VERBOSE", "enabled-flag", "TOKEN_FLAG", "1"), List.of("sk-provider-789"));
        CommandRunner runner = new CommandRunner(directory, 4096, Map.of("PATH", "/usr/bin:/bin"), redactor,
                Optional.empty(), CommandRunner.Watch.NONE);

        CommandResult result = runner.run("echo aws-canary-123 ghp_canary456 sk-provider-789 enabled-flag 1; env",
                Duration.ofSeconds(30));

        assertEquals("[redacted] [redacted] [redacted] enabled-flag 1", result.output().lines().findFirst().orElseThrow());
        assertFalse(result.output().contains("canary"), result.output());
        assertTrue(result.output().contains("PATH=/usr/bin:/bin"), result.output());
        // a variable naming a credential's file holds a path, not the secret: paths stay readable
        assertEquals("uses /etc/passwd", Redactor.of(Map.of("AWS_CA_BUNDLE", "/etc/passwd"), List.of())
                .redact("uses /etc/passwd"));
    }

    @Test
    void everyUnsandboxedCommandLeadsItsOwnSessionAndIsReportedWhenItStarts() throws Exception {
        List<Long> started = new java.util.concurrent.CopyOnWriteArrayList<>();
        CommandRunner runner = new CommandRunner(directory, 4096,
                CommandSandbox.childEnvironment(System.getenv(), List.of()),
                Redactor.NONE, Optional.empty(), (pid, at) -> started.add(pid));

        CommandResult result = runner.run("echo $$; ps -o sid= -p $$", Duration.ofSeconds(30));

        List<String> lines = result.output().lines().map(String::strip).toList();
        assertEquals(List.of(Long.parseLong(lines.get(0))), started);
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/setsid")), "no setsid here");
        assertEquals(lines.get(0), lines.get(1), "the command's shell leads its own session");
    }
}
