package dev.orchestrator.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.ChatRequest;
import dev.orchestrator.api.ChatResponse;
import dev.orchestrator.api.LlmException;
import dev.orchestrator.api.LlmProvider;
import dev.orchestrator.api.Message;
import dev.orchestrator.api.MissionResult;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.Writer;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;
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
    void theBoardsHeartbeatEndsWithTheRunEvenWhenTheRunThrows() throws InterruptedException {
        Set<Thread> before = boardThreads();
        // a provider with a bug the engine does not turn into an outcome: the run throws, with no last event
        LlmProvider broken = new LlmProvider() {
            @Override
            public String name() {
                return "broken";
            }

            @Override
            public String defaultModel() {
                return "m";
            }

            @Override
            public ChatResponse chat(ChatRequest request) {
                throw new StackOverflowError("a provider's bug");
            }
        };
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Throwable thrown = null;
        try {
            CustomProviderExample.run(workspace, broken, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        } catch (Throwable e) {
            thrown = e;
        }
        assertTrue(thrown instanceof IllegalStateException, String.valueOf(thrown));
        // the board saw the mission start, so its heartbeat ran
        assertTrue(bytes.toString(StandardCharsets.UTF_8).contains("Write notes.txt saying hello"), bytes::toString);

        for (Thread board : boardThreads()) {
            if (!before.contains(board)) {
                board.join(Duration.ofSeconds(10));
                assertFalse(board.isAlive(), "the board's heartbeat outlived the run, which ended with " + thrown);
            }
        }
    }

    private static Set<Thread> boardThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("console-progress"))
                .collect(Collectors.toSet());
    }

    @Test
    void anAnswerThatStallsAfterItsHeadersIsGivenUpAtTheTimeout() throws IOException {
        try (ServerSocket stalling = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            Thread.ofVirtual().start(() -> answerPartly(stalling));
            OllamaChat provider = new OllamaChat("http://127.0.0.1:" + stalling.getLocalPort(), "llama3.2", http,
                    Duration.ofMillis(300));

            // HttpRequest.timeout alone stopped timing at the headers, and this call never returned
            LlmException e = assertThrows(LlmException.Transient.class,
                    () -> provider.chat(ChatRequest.builder().message(Message.user("hi")).build()));

            assertTrue(e.getMessage().endsWith("/api/chat sent no whole answer within 300 ms"), e.getMessage());
        }
    }

    /** Takes one request and answers with the headers and the start of the body, then nothing, as a stalled proxy. */
    private static void answerPartly(ServerSocket server) {
        try (Socket client = server.accept()) {
            BufferedReader request = new BufferedReader(new InputStreamReader(client.getInputStream(),
                    StandardCharsets.UTF_8));
            for (String line = request.readLine(); line != null && !line.isEmpty(); line = request.readLine()) {
                // the request's headers; its body is left unread
            }
            OutputStream out = client.getOutputStream();
            out.write(("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n"
                    + "{\"model\":").getBytes(StandardCharsets.UTF_8));
            out.flush();
            request.transferTo(Writer.nullWriter()); // until the client gives up and closes
        } catch (IOException e) {
            // the client closed the connection
        }
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
