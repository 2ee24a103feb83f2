package dev.orchestrator.core.internal.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.orchestrator.api.CommandSandbox;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ending a command ends all of it, even while it forks as fast as it can: each round races a new child. */
class ProcessTreeTest {

    private static final int ROUNDS = 20;

    @TempDir
    Path directory;

    /** Short-lived and few, should this JVM die mid-round and leave a command forking with no one to end it. */
    private final String marker = "sleep 120." + ProcessHandle.current().pid();
    private final String forking = "i=0; while [ $i -lt 3000 ]; do " + marker + " & i=$((i+1)); done; wait";

    @Test
    void endingACommandThatKeepsForkingLeavesNoMemberOfItsSessionAlive() throws IOException {
        try (CommandRunner runner = new CommandRunner(directory, 4096)) {
            endEachRound(runner, forking, "up", ProcessTree::end);
        }
    }

    @Test
    void endingACommandEndsTheSessionAChildOfItStartedAndAllItForks() throws IOException {
        try (CommandRunner runner = new CommandRunner(directory, 4096)) {
            // ended once the child left: a child that leaves as its parent is killed is out of reach (its new parent
            // is init, its session its own), unless the command runs in a sandbox, whose PID namespace holds it
            endEachRound(runner, "setsid sh -c 'echo left; " + forking + "' & wait", "left", ProcessTree::end);
        }
    }

    @Test
    void endingTheLeftoversOfACrashedRunLeavesNoMemberOfTheSessionAlive() throws IOException {
        try (CommandRunner runner = new CommandRunner(directory, 4096)) {
            // the crash took the leader; what it started forks on in its session
            endEachRound(runner, "sh -c '" + forking + "' & wait", "up", leader -> {
                Instant start = leader.info().startInstant().orElseThrow();
                leader.destroyForcibly();
                leader.onExit().join();
                ProcessTree.endSession(leader.pid(), start);
            });
        }
    }

    @Test
    void endingASandboxedCommandThatKeepsForkingLeavesNoMemberOfItsSessionAlive() throws IOException {
        Sandbox.Detected detected = Sandbox.detect(false, List.of(), List.of());
        assumeTrue(detected.sandbox().isPresent(), detected.description());
        try (CommandRunner runner = new CommandRunner(directory, 4096,
                CommandSandbox.childEnvironment(System.getenv(), List.of()), Redactor.NONE, detected.sandbox(),
                CommandRunner.Watch.NONE)) {
            endEachRound(runner, forking, "up", ProcessTree::end);
        }
    }

    @Test
    void endingACommandInTheJvmsOwnSessionSparesTheProcessesOfThatSessionThatAreNotItsOwn() throws Exception {
        // where no setsid exists, a command runs in the JVM's session, as does what the JVM starts after it (another
        // Worker's command, a git save): ending the command must not end those
        String ours = "sleep 300." + ProcessHandle.current().pid() + "1";
        String bystander = "sleep 300." + ProcessHandle.current().pid() + "2";
        Process command = new ProcessBuilder("/bin/sh", "-c", "echo up; " + ours + " & wait").start();
        assertEquals("up", new BufferedReader(new InputStreamReader(command.getInputStream())).readLine());
        Process other = new ProcessBuilder(bystander.split(" ")).start();
        try {
            ProcessTree.end(command);

            command.onExit().get(10, TimeUnit.SECONDS);
            assertEquals(List.of(), running(ours), "the command's own child is ended");
            assertTrue(other.isAlive(), "a process of the JVM's session that the command did not start runs on");
        } finally {
            other.destroyForcibly();
        }
    }

    /** The live processes whose command line is {@code line}, once those killed had time to die. */
    private static List<Long> running(String line) throws InterruptedException {
        for (int wait = 0; wait < 100 && !pidsOf(line).isEmpty(); wait++) {
            Thread.sleep(100);
        }
        return pidsOf(line);
    }

    private static List<Long> pidsOf(String line) {
        return ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("").equals(line))
                .map(ProcessHandle::pid).toList();
    }

    /** Runs {@code command} and ends it as soon as it has written {@code line}, {@link #ROUNDS} times. */
    private void endEachRound(CommandRunner runner, String command, String line, Consumer<Process> end)
            throws IOException {
        for (int round = 0; round < ROUNDS; round++) {
            CommandRunner.Started started = runner.start("echo up; " + command);
            BufferedReader output = new BufferedReader(new InputStreamReader(started.output()));
            for (String read = output.readLine(); !line.equals(read); read = output.readLine()) {
                assertEquals("up", read);
            }

            end.accept(started.process());

            assertEquals(List.of(), aliveAfterAWhile(), "round " + round);
        }
    }

    /** The processes of the command still alive, once those already killed had time to die. */
    private List<String> aliveAfterAWhile() {
        CompletableFuture<?>[] exits = ofTheCommand().map(ProcessHandle::onExit).toArray(CompletableFuture[]::new);
        try {
            // SIGKILLed but not yet scheduled to die
            CompletableFuture.allOf(exits).get(10, TimeUnit.SECONDS);
        } catch (ExecutionException | InterruptedException | TimeoutException e) {
            // some still run: the listing below names them
        }
        return ofTheCommand().map(p -> p.pid() + " " + p.info().commandLine().orElse("")).toList();
    }

    private Stream<ProcessHandle> ofTheCommand() {
        return ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("").contains(marker));
    }
}
