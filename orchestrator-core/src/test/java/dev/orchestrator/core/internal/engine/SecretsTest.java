package dev.orchestrator.core.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.core.internal.tools.Sandbox;
import dev.orchestrator.test.MockLlmServer;
import dev.orchestrator.test.MockReply;
import dev.orchestrator.test.RecordedRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * With a fake provider key and AWS/GitHub canaries in a child JVM's environment, a mission whose Worker runs
 * {@code env}, {@code printenv}, {@code cat /proc/$PPID/environ} and prints the key (and whose verify command does
 * the same): no canary is in any request body the loopback model receives, any journal file, any event or any log
 * line, sandboxed or not. (The key is in the requests' authorization header, where it belongs.)
 */
class SecretsTest {

    private static final Map<String, String> CANARIES = Map.of(
            "OPENAI_API_KEY", "sk-canary-provider-5c1e7",
            "AWS_SECRET_ACCESS_KEY", "aws-canary-secret-9d2f4",
            "AWS_ACCESS_KEY_ID", "AKIACANARY77301",
            "GITHUB_TOKEN", "ghp_canary_token_31b8a");
    private static final String LEAKY = "env; printenv; cat /proc/$PPID/environ | tr '\\\\0' '\\\\n'; "
            + "echo key=$OPENAI_API_KEY; cat secrets.env";

    @TempDir
    Path base;

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void noCanaryReachesTheModelTheJournalTheEventsOrTheLogs(boolean sandboxAllowed) throws Exception {
        Path workspace = Files.createDirectory(base.resolve("ws"));
        // a file holding a credential, as a .env file would: read_file's result is redacted too
        Files.writeString(workspace.resolve("secrets.env"), "GITHUB_TOKEN=" + CANARIES.get("GITHUB_TOKEN") + "\n");
        Path journal = base.resolve("journal");
        String output;
        int exit;
        List<String> requests;
        try (MockLlmServer model = new MockLlmServer().respondWith(request -> reply(request.body()))) {
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            ProcessBuilder child = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                    "-D" + Sandbox.BWRAP_PROPERTY + "=" + (sandboxAllowed ? "" : "none"),
                    SecretsChild.class.getName(), workspace.toString(), journal.toString(), LEAKY + "; true")
                    .redirectErrorStream(true);
            child.environment().putAll(CANARIES);
            child.environment().put("OPENAI_BASE_URL", model.openAiBaseUrl());
            child.environment().put("OPENAI_MODEL", "loopback");
            Process process = child.start();
            output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(process.waitFor(120, TimeUnit.SECONDS), output);
            exit = process.exitValue();
            requests = model.receivedRequests().stream().map(RecordedRequest::body).toList();
        }

        assertEquals(0, exit, output);
        String allRequests = String.join("\n", requests);
        // the leaky command ran and its output reached the model, redacted
        assertTrue(allRequests.contains("[redacted]"), allRequests);
        assertTrue(allRequests.contains("PATH="), allRequests);
        String journalBytes = journalText(journal);
        for (Map.Entry<String, String> canary : CANARIES.entrySet()) {
            assertFalse(allRequests.contains(canary.getValue()), canary.getKey() + " reached the model");
            assertFalse(journalBytes.contains(canary.getValue()), canary.getKey() + " reached the journal");
            assertFalse(output.contains(canary.getValue()), canary.getKey() + " reached an event or a log line");
        }
        assertTrue(output.contains("event ToolCallCompleted"), output);
        assertTrue(output.contains("outcome COMPLETED"), output);
    }

    /** What the loopback model answers: each agent's step of a one-todo mission whose Worker runs LEAKY. */
    private static MockReply reply(String body) {
        if (body.contains("\"write_brief\"")) {
            return MockReply.toolCall("write_brief", "{\"brief\":\"Print it.\"}");
        }
        if (body.contains("\"submit_plan\"")) {
            return MockReply.toolCall("submit_plan",
                    "{\"todos\":[{\"id\":\"leak\",\"description\":\"print the environment\"}]}");
        }
        if (body.contains("\"report_issues\"")) {
            return MockReply.toolCall("report_issues", "{\"issues\":[]}");
        }
        int toolResults = body.split("\"role\":\"tool\"", -1).length - 1;
        if (toolResults == 0) {
            return MockReply.toolCall("run_command", "{\"command\":" + Scripts.quote(LEAKY) + "}");
        }
        if (toolResults == 1) {
            return MockReply.toolCall("read_file", "{\"path\":\"secrets.env\"}");
        }
        return MockReply.text("printed it");
    }

    private static String journalText(Path journal) throws IOException {
        StringBuilder text = new StringBuilder();
        try (Stream<Path> files = Files.walk(journal)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                text.append(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
            }
        }
        return text.toString();
    }
}
