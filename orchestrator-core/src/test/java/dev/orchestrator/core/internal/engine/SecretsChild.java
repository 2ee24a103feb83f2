package dev.orchestrator.core.internal.engine;

import dev.orchestrator.api.Mission;
import dev.orchestrator.api.MissionResult;
import dev.orchestrator.core.llm.OpenAiCompatible;
import java.nio.file.Path;

/**
 * The child JVM of {@link SecretsTest}: a mission on the OpenAI-compatible provider configured from its
 * environment (a loopback model), printing every event, with {@code args[2]} as the verify command.
 */
public final class SecretsChild {

    private SecretsChild() {
    }

    public static void main(String[] args) {
        MissionResult result = Mission.builder().goal("print the environment").workspace(Path.of(args[0]))
                .provider(OpenAiCompatible.fromEnv()).verifyWith(args[2]).journal(Path.of(args[1]))
                .listener((event, progress) -> System.out.println("event " + event))
                .build().run();
        System.out.println("outcome " + result.outcome() + ": " + result);
        System.exit(result.isCompleted() ? 0 : 1);
    }
}
