package dev.orchestrator.core.internal.tools;

import dev.orchestrator.api.CommandSandbox;
import java.nio.file.Path;
import java.util.List;

/**
 * The child JVM of {@link SandboxTest}: starts sandboxed {@code sleep args[1]} commands in {@code args[0]} one after
 * the other, saying "starting N" before each, until it is killed.
 */
public final class SandboxStarter {

    private SandboxStarter() {
    }

    public static void main(String[] args) {
        Sandbox.Detected detected = Sandbox.detect(false, List.of(), List.of());
        try (CommandRunner runner = new CommandRunner(Path.of(args[0]), 4096,
                CommandSandbox.childEnvironment(System.getenv(), List.of()), Redactor.NONE, detected.sandbox(),
                CommandRunner.Watch.NONE)) {
            for (int i = 1; ; i++) {
                System.out.println("starting " + i);
                System.out.flush();
                runner.start("sleep " + args[1]);
            }
        }
    }
}
