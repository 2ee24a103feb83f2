package dev.orchestrator.core.internal.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.orchestrator.api.CommandSandbox;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Commands under bubblewrap (skipped where it is unusable) and the fallback (always). */
class SandboxTest {

    @TempDir
    Path base;

    private CommandRunner sandboxed(Path workspace, boolean network, List<Path> readOnly) {
        return sandboxed(workspace, network, List.of(), readOnly);
    }

    private CommandRunner sandboxed(Path workspace, boolean network, List<Path> writable, List<Path> readOnly) {
        Sandbox.Detected detected = Sandbox.detect(network, writable, readOnly);
        assumeTrue(detected.sandbox().isPresent(), detected.description());
        return new CommandRunner(workspace, 64 * 1024, CommandSandbox.childEnvironment(System.getenv(), List.of()),
                Redactor.NONE, detected.sandbox(), CommandRunner.Watch.NONE);
    }

    @Test
    void aSandboxedCommandWritesTheWorkspaceButNothingOutsideIt() throws IOException {
        Path workspace = Files.createDirectory(base.resolve("ws"));
        Path journal = Files.createDirectory(workspace.resolve(".orchestrator"));
        Path outside = Files.createDirectory(base.resolve("outside"));
        Path cache = Files.createDirectory(base.resolve("cache"));
        try (CommandRunner runner = sandboxed(workspace, false, List.of(cache), List.of(journal))) {
            CommandResult result = runner.run("echo in > inside.txt; echo out > " + outside + "/x.txt; "
                    + "echo c > " + cache + "/artifact.jar; "
                    + "echo j > .orchestrator/000.wal; echo t > /tmp/private.txt; cat /tmp/private.txt; "
                    + "touch /etc/orchestrator-escape", Duration.ofSeconds(30));

            assertEquals("in\n", Files.readString(workspace.resolve("inside.txt")));
            assertEquals("c\n", Files.readString(cache.resolve("artifact.jar")), "a writable directory is writable");
            assertFalse(Files.exists(outside.resolve("x.txt")), result.output());
            assertFalse(Files.exists(journal.resolve("000.wal")), result.output());
            assertFalse(Files.exists(Path.of("/etc/orchestrator-escape")), result.output());
            assertTrue(result.output().contains("Read-only file system"), result.output());
            // the sandbox's /tmp is its own: what it wrote there is not in ours
            assertTrue(result.output().contains("t\n"), result.output());
        }
    }

    @Test
    void theUsersCredentialStoresAreHiddenFromCommandsUnlessTheUserMadeOneWritable() throws IOException {
        // in the workspace, which the sandbox shows wherever it is (a home under /tmp would be behind its own /tmp)
        Path workspace = Files.createDirectory(base.resolve("ws"));
        Path home = Files.createDirectory(workspace.resolve("home"));
        Files.createDirectories(home.resolve(".ssh"));
        Files.writeString(home.resolve(".ssh/id_ed25519"), "ssh-private-key-canary");
        Files.writeString(home.resolve(".netrc"), "machine example.com password netrc-canary");
        Files.createDirectories(home.resolve(".docker"));
        Files.writeString(home.resolve(".docker/config.json"), "docker-canary");
        Files.writeString(home.resolve(".bashrc"), "bashrc-shown");
        Sandbox.Detected detected = Sandbox.detect(false, List.of(home.resolve(".docker")), List.of(),
                List.of(home), Sandbox.onPath());
        assumeTrue(detected.sandbox().isPresent(), detected.description());
        try (CommandRunner runner = new CommandRunner(workspace, 64 * 1024,
                CommandSandbox.childEnvironment(System.getenv(), List.of()), Redactor.NONE, detected.sandbox(),
                CommandRunner.Watch.NONE)) {
            CommandResult result = runner.run("ls -A " + home + "/.ssh; cat " + home + "/.ssh/id_ed25519 " + home
                    + "/.netrc " + home + "/.docker/config.json " + home + "/.bashrc", Duration.ofSeconds(30));

            assertFalse(result.output().contains("ssh-private-key-canary"), result.output());
            assertFalse(result.output().contains("netrc-canary"), result.output());
            assertTrue(result.output().contains("docker-canary"), "made writable, so shown: " + result.output());
            assertTrue(result.output().contains("bashrc-shown"), result.output());
        }
        assertEquals("ssh-private-key-canary", Files.readString(home.resolve(".ssh/id_ed25519")));
    }

    @Test
    void withoutNetworkASandboxedCommandCannotReachLoopbackAndWithItItCan() throws IOException {
        assumeTrue(Files.isExecutable(Path.of("/bin/bash")), "the probe uses bash's /dev/tcp");
        Path workspace = Files.createDirectory(base.resolve("ws"));
        try (ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            String connect = "bash -c 'echo hello > /dev/tcp/127.0.0.1/" + server.getLocalPort() + "'";
            try (CommandRunner runner = sandboxed(workspace, false, List.of())) {
                CommandResult refused = runner.run(connect + "; echo; echo run=$(ls -A /run | wc -l)", Duration.ofSeconds(30));
                assertTrue(refused.output().contains("No such device or address")
                        || refused.output().contains("Network is unreachable")
                        || refused.output().contains("Connection refused"), refused.output());
                // nor a Unix socket of a service under /run, which a read-only mount would not stop
                assertTrue(refused.output().contains("run=0"), refused.output());
                assertNull(acceptWaiting(server), "a connection arrived from a sandbox without network");
            }
            try (CommandRunner runner = sandboxed(workspace, true, List.of())) {
                CommandResult allowed = runner.run(connect, Duration.ofSeconds(30));
                assertEquals(0, allowed.exitCode(), allowed.output());
                try (Socket accepted = acceptWaiting(server)) {
                    assertTrue(accepted != null, "the allowed connection did not arrive");
                }
            }
        }
    }

    @Test
    void theParentOfASandboxedCommandIsNotTheJvmAndShowsNothingOfItsEnvironment() throws IOException {
        Path workspace = Files.createDirectory(base.resolve("ws"));
        try (CommandRunner runner = sandboxed(workspace, false, List.of())) {
            CommandResult result = runner.run("echo parent=$PPID; cat /proc/$PPID/environ | tr '\\0' '\\n'; "
                    + "ls /proc | grep -c '^[0-9]'", Duration.ofSeconds(30));

            assertEquals(0, result.exitCode(), result.output());
            assertTrue(result.output().startsWith("parent=1\n"), result.output());
            Map<String, String> passed = CommandSandbox.childEnvironment(System.getenv(), List.of());
            System.getenv().forEach((name, value) -> {
                // a value that is part of a passed one (a directory on the PATH) proves nothing either way
                if (!passed.containsKey(name) && value.length() >= 8
                        && passed.values().stream().noneMatch(kept -> kept.contains(value))) {
                    assertFalse(result.output().contains(value), name + "'s value reached the sandbox");
                }
            });
        }
    }

    @Test
    void aSandboxedCommandStoppedWhileBwrapSetsUpLeavesNothingRunning() throws IOException {
        Path workspace = Files.createDirectory(base.resolve("ws"));
        // a number of this run's own: processes are found by their command line, and another build's test on the
        // same machine must not count as a survivor here
        String marker = "sleep " + (30_000 + ProcessHandle.current().pid() % 50_000 * 3 + 2);
        try (CommandRunner runner = sandboxed(workspace, false, List.of());
                BackgroundProcesses processes = new BackgroundProcesses(runner, 4096)) {
            // stopped at once, bwrap is often still setting up: before its init in the sandbox asked to die with
            // it, ending bwrap alone left that init (and the command it went on to start) running
            for (int i = 0; i < 20; i++) {
                processes.stop("t1", processes.start("t1", marker + " & " + marker + " & wait"));
            }
        }
        assertEquals(List.of(), Survivors.of(marker));
    }

    @Test
    void aJvmKilledWhileBwrapSetsUpASandboxLeavesNothingRunning() throws Exception {
        Path workspace = Files.createDirectory(base.resolve("ws"));
        assumeTrue(Sandbox.detect(false, List.of(), List.of()).sandbox().isPresent(), "bwrap is not usable here");
        String marker = Integer.toString(30_000 + (int) (ProcessHandle.current().pid() % 50_000) * 3 + 1);
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        for (int round = 1; round <= 5; round++) {
            Process child = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                    SandboxStarter.class.getName(), workspace.toString(), marker).redirectErrorStream(true).start();
            try (BufferedReader lines = child.inputReader()) {
                // killed as it starts its third command, the earlier two running: before the gate, the set-up the
                // kill cut short went on and left that sandbox's init and sleep running with no parent
                String line;
                while ((line = lines.readLine()) != null && !line.equals("starting 3")) {
                    assertTrue(line.startsWith("starting "), line);
                }
                child.destroyForcibly();
                child.waitFor();
                assertEquals("starting 3", line, "the child ended before its third command");
            }
            assertEquals(List.of(), Survivors.of("sleep " + marker), "round " + round);
        }
    }

    @Test
    void aSandboxIsFoundWholeByTheSessionItsStartWasReportedWith() throws IOException {
        Path workspace = Files.createDirectory(base.resolve("ws"));
        String marker = "sleep " + (30_000 + ProcessHandle.current().pid() % 50_000 * 3);
        List<Long> reported = new CopyOnWriteArrayList<>();
        List<Instant> starts = new CopyOnWriteArrayList<>();
        Sandbox.Detected detected = Sandbox.detect(false, List.of(), List.of());
        assumeTrue(detected.sandbox().isPresent(), detected.description());
        try (CommandRunner runner = new CommandRunner(workspace, 4096,
                CommandSandbox.childEnvironment(System.getenv(), List.of()), Redactor.NONE, detected.sandbox(),
                (pid, start) -> {
                    reported.add(pid);
                    starts.add(start);
                })) {
            // one sleep leaves into a session of its own: only the sandbox's PID namespace still holds it
            CommandRunner.Started started = runner.start(marker + " & setsid " + marker + " & echo up; wait");
            assertEquals("up", new BufferedReader(new InputStreamReader(started.output())).readLine());
            assertEquals(List.of(started.process().pid()), reported, "the command was reported before it ran");

            List<Long> session = ProcessTree.sessionMembers(reported.getFirst());
            assertTrue(session.size() >= 3, "bwrap, the sandbox's init and its shell at least: " + session);

            // what a resumed mission does with a CommandStarted of a crashed run
            int ended = ProcessTree.endSession(reported.getFirst(), starts.getFirst());

            // not a count of `ended`: once bwrap is killed its init dies with it, and may be gone before its turn
            assertTrue(ended >= 1, "nothing of the session was ended");
            session.forEach(pid -> ProcessHandle.of(pid).ifPresent(member -> member.onExit().join()));
            assertEquals(List.of(), Survivors.of(marker));
        }
    }

    @Test
    void whereBwrapIsMissingOrBrokenCommandsRunUnsandboxedAndSayHowToEnableIt() throws IOException {
        Sandbox.Detected missing = Sandbox.detect(false, List.of(), List.of(), List.of(),
                Optional.of(base.resolve("no-such-bwrap")));
        assertTrue(missing.sandbox().isEmpty());
        assertTrue(missing.description().contains("install bubblewrap"), missing.description());

        Path broken = Files.writeString(base.resolve("bwrap"), "#!/bin/sh\necho 'No permissions to create new "
                + "namespace' >&2\nexit 1\n");
        broken.toFile().setExecutable(true);
        Sandbox.Detected unusable = Sandbox.detect(false, List.of(), List.of(), List.of(), Optional.of(broken));
        assertTrue(unusable.sandbox().isEmpty());
        assertTrue(unusable.description().contains("does not work here"), unusable.description());
        assertTrue(unusable.description().contains("namespace"), unusable.description());

        CommandRunner fallback = new CommandRunner(base, 4096,
                CommandSandbox.childEnvironment(System.getenv(), List.of()),
                Redactor.NONE, unusable.sandbox(), CommandRunner.Watch.NONE);
        // unsandboxed, the command's parent is this JVM
        assertEquals(Long.toString(ProcessHandle.current().pid()), fallback.run("echo $PPID",
                Duration.ofSeconds(30)).output().strip());
    }

    /** The connection waiting in the server's backlog, if any; the command that would have made it has ended. */
    private static Socket acceptWaiting(ServerSocket server) throws IOException {
        server.setSoTimeout(500);
        try {
            return server.accept();
        } catch (SocketTimeoutException none) {
            return null;
        }
    }
}
