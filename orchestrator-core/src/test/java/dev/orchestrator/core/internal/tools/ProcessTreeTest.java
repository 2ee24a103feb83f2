package dev.orchestrator.core.internal.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ending a command ends all of it, even while it forks as fast as it can: each round races a new child. */
class ProcessTreeTest {

    private static final int ROUNDS = 20;

    @TempDir
    Path directory;

    private final String marker = "sleep " + (31_000 + ProcessHandle.current().pid() % 50_000 * 3 + 1);

    @Test
    void endingACommandThatKeepsForkingLeavesNoMemberOfItsSessionAlive() throws IOException {
        try (CommandRunner runner = new CommandRunner(directory, 4096)) {
            endEachRound(runner, "while :; do " + marker + " & done", ProcessTree::end);
        }
    }

    @Test
    void endingTheLeftoversOfACrashedRunLeavesNoMemberOfTheSessionAlive() throws IOException {
        try (CommandRunner runner = new CommandRunner(directory, 4096)) {
            // the crash took the leader; what it started forks on in its session
            endEachRound(runner, "sh -c 'while :; do " + marker + " & done' & wait", leader -> {
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
            endEachRound(runner, "while :; do " + marker + " & done", ProcessTree::end);
        }
    }

    private void endEachRound(CommandRunner runner, String forking, Consumer<Process> end) throws IOException {
        for (int round = 0; round < ROUNDS; round++) {
            CommandRunner.Started started = runner.start("echo up; " + forking);
            assertEquals("up", new BufferedReader(new InputStreamReader(started.output())).readLine());
            long session = started.process().pid();

            end.accept(started.process());

            assertEquals(List.of(), aliveAfterAWhile(session), "round " + round);
        }
        assertEquals(List.of(), Survivors.of(marker));
    }

    /** The live members of {@code session}, once those already killed had time to die. */
    private static List<Long> aliveAfterAWhile(long session) {
        CompletableFuture<?>[] exits = ProcessTree.sessionMembers(session).stream()
                .flatMap(pid -> ProcessHandle.of(pid).stream()).map(ProcessHandle::onExit)
                .toArray(CompletableFuture[]::new);
        try {
            // SIGKILLed but not yet scheduled to die: a zombie has exited (and is no member /proc lists as live)
            CompletableFuture.allOf(exits).get(10, TimeUnit.SECONDS);
        } catch (ExecutionException | InterruptedException | TimeoutException e) {
            // some still run: the listing below names them
        }
        return ProcessTree.sessionMembers(session);
    }
}
