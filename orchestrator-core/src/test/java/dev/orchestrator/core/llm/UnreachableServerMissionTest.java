package dev.orchestrator.core.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.Mission;
import dev.orchestrator.api.MissionEvent;
import dev.orchestrator.api.MissionResult;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A base URL where nothing listens ends the mission at its first call, saying which URL and which setting. */
class UnreachableServerMissionTest {

    @TempDir
    Path workspace;

    @Test
    void aMissionWhoseServerNeverAnsweredFailsAtTheFirstRefusalNamingTheUrlAndTheSetting() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        String baseUrl = "http://127.0.0.1:" + closedPort + "/v1";
        List<MissionEvent> retries = new CopyOnWriteArrayList<>();
        try (OpenAiCompatible provider = OpenAiCompatible.builder().baseUrl(baseUrl).model("llama3.2").build()) {
            MissionResult result = Mission.builder().goal("Create hello.txt").workspace(workspace).provider(provider)
                    .verifyWith("true")
                    // a bound for a regression, which retried and put the task back until stopped
                    .deadline(Duration.ofSeconds(20))
                    .listener((event, progress) -> {
                        if (event instanceof MissionEvent.CallRetried || event instanceof MissionEvent.TaskDeferred) {
                            retries.add(event);
                        }
                    })
                    .build().run();

            assertEquals(MissionResult.Outcome.FAILED, result.outcome(), result.reason());
            assertTrue(result.reason().contains(baseUrl) && result.reason().contains("OPENAI_BASE_URL")
                    && result.reason().contains("connection refused"), result.reason());
            assertEquals(List.of(), retries, "the refusal was final at the first attempt");
        }
    }
}
