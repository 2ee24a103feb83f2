package dev.orchestrator.test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/** Each test gets its own server and directories, and nothing of them is left once it has ended. */
@ExtendWith(MockLlmExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MockLlmExtensionTest {

    private static final List<Path> ROOTS = new ArrayList<>();
    private static final List<String> URLS = new ArrayList<>();

    @Test
    @Order(1)
    void aTestGetsAWorkspaceAndAJournalDirectoryApartAndAServer(MockLlmServer server, @WorkspaceDir Path workspace,
            @JournalDir Path journal, MissionRecorder recorder) throws IOException {
        Files.writeString(workspace.resolve("file.txt"), "kept until the test ends");
        Files.createDirectories(journal.resolve("segments"));

        assertTrue(Files.isDirectory(workspace));
        assertEquals(workspace.getParent(), journal.getParent());
        assertFalse(journal.startsWith(workspace), "the journal lies outside the workspace");
        assertTrue(recorder.events().isEmpty());
        ROOTS.add(workspace.getParent());
        URLS.add(server.url("/v1/chat/completions"));
    }

    @Test
    @Order(2)
    void theNextTestGetsFreshOnes(MockLlmServer server, @WorkspaceDir Path workspace) throws IOException {
        assertNotEquals(ROOTS.getFirst(), workspace.getParent());
        try (var files = Files.list(workspace)) {
            assertEquals(0, files.count());
        }
        assertFalse(Files.exists(ROOTS.getFirst()), "the first test's directories were deleted");
        ROOTS.add(workspace.getParent());
        URLS.add(server.url("/v1/chat/completions"));
    }

    @AfterAll
    static void nothingIsLeft() throws InterruptedException {
        for (Path root : ROOTS) {
            assertFalse(Files.exists(root), root + " was left behind");
        }
        HttpClient client = HttpClient.newHttpClient();
        for (String url : URLS) {
            try {
                client.send(HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.ofString("{}"))
                        .build(), HttpResponse.BodyHandlers.ofString());
                throw new AssertionError("the server at " + url + " still answers");
            } catch (ConnectException expected) {
                // closed after its test
            } catch (IOException e) {
                throw new AssertionError("the server at " + url + " did not refuse the connection: " + e, e);
            }
        }
    }
}
