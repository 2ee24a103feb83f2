package dev.orchestrator.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.MissionResult;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CustomProviderExampleTest {

    @TempDir
    Path workspace;

    @Test
    void aMissionRunsOnTheOwnProviderOverOllamasWireFormat() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (CustomProviderExample.StandIn standIn = CustomProviderExample.StandIn.start();
                HttpClient http = HttpClient.newHttpClient()) {
            MissionResult result = CustomProviderExample.run(workspace,
                    new OllamaChat(standIn.url(), "scripted", http),
                    new PrintStream(bytes, true, StandardCharsets.UTF_8));

            assertEquals(MissionResult.Outcome.COMPLETED, result.outcome(), result.reason());
            assertEquals("hello\n", Files.readString(workspace.resolve("notes.txt")));
            // brief, plan, the Worker's write and its answer after the tool's result, the review
            assertEquals(5, standIn.answered());
            assertEquals(5, result.usage().inputTokens() / 100, "the usage Ollama reported, counted");
        }
        assertTrue(bytes.toString(StandardCharsets.UTF_8).contains("Outcome: COMPLETED"));
    }

    @Test
    void aWrongOllamaHostEndsTheMissionAtOnceSayingWhatToFix() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        try (HttpClient http = HttpClient.newHttpClient()) {
            MissionResult result = CustomProviderExample.run(workspace,
                    new OllamaChat("http://127.0.0.1:" + closedPort, "llama3.2", http),
                    new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));

            assertEquals(MissionResult.Outcome.FAILED, result.outcome(), result.reason());
            assertTrue(result.reason().contains("127.0.0.1:" + closedPort) && result.reason().contains("OLLAMA_HOST"),
                    result.reason());
        }
    }
}
