package dev.orchestrator.core.internal.engine;

import static dev.orchestrator.core.internal.engine.Scripts.brief;
import static dev.orchestrator.core.internal.engine.Scripts.noIssues;
import static dev.orchestrator.core.llm.ScriptedProvider.text;
import static dev.orchestrator.core.llm.ScriptedProvider.toolCall;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.Agent;
import dev.orchestrator.api.ChatRequest;
import dev.orchestrator.api.ChatResponse;
import dev.orchestrator.api.ForwardingProvider;
import dev.orchestrator.api.LlmProvider;
import dev.orchestrator.api.Message;
import dev.orchestrator.api.Mission;
import dev.orchestrator.api.MissionResult;
import dev.orchestrator.core.llm.ScriptedProvider;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/**
 * A project's own credentials, kept in its .env and nowhere in the JVM's environment, reach neither the model nor
 * the journal, and a model that writes the file back with the {@code [redacted]} it was shown loses none of them.
 */
class WorkspaceSecretsTest {

    private static final String STRIPE_KEY = "sk_live_51Hq0123456789abcdef";
    private static final String DATABASE_PASSWORD = "pw-9f8e7d6c5b";
    private static final String DOTENV = "# local settings\nSTRIPE_SECRET_KEY=" + STRIPE_KEY + "\n"
            + "DATABASE_URL=postgres://app:" + DATABASE_PASSWORD + "@db:5432/app\nPORT=8080\n";

    @TempDir
    Path workspace;
    @TempDir
    Path journal;

    @Test
    void aModelThatAddsALineToTheDotenvFileItWasShownRedactedKeepsItsCredentials() throws IOException {
        Files.writeString(workspace.resolve(".env"), DOTENV);

        Recorded run = run(shown -> shown.stripTrailing() + "\nDEBUG=true\n");

        assertEquals(MissionResult.Outcome.COMPLETED, run.result.outcome(), run.result.reason());
        assertEquals(DOTENV + "DEBUG=true\n", Files.readString(workspace.resolve(".env")));
        String shown = run.toolResults().getFirst();
        assertTrue(shown.contains("STRIPE_SECRET_KEY=[redacted]") && shown.contains("postgres://app:[redacted]@db"),
                shown);
        assertTrue(run.toolResults().get(1).startsWith("wrote .env"), run.toolResults().get(1));
        assertNeverLeft(run);
    }

    @Test
    void aRedactedLineTheModelChangedIsRefusedAndTheFileKept() throws IOException {
        Files.writeString(workspace.resolve(".env"), DOTENV);

        Recorded run = run(shown -> shown.replace("STRIPE_SECRET_KEY=[redacted]",
                "STRIPE_SECRET_KEY=[redacted] # live"));

        assertEquals(DOTENV, Files.readString(workspace.resolve(".env")));
        String refusal = run.toolResults().get(1);
        assertTrue(refusal.contains("line 2 of content holds [redacted]") && refusal.contains("reads like no line"),
                refusal);
        assertNeverLeft(run);
    }

    /** The secrets were in no request to the model and in no byte of the journal. */
    private void assertNeverLeft(Recorded run) throws IOException {
        for (String secret : List.of(STRIPE_KEY, DATABASE_PASSWORD)) {
            assertFalse(run.requests.stream().anyMatch(request -> request.contains(secret)),
                    "the model was sent " + secret);
            try (Stream<Path> files = Files.walk(journal)) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    assertFalse(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1).contains(secret),
                            file + " holds " + secret);
                }
            }
        }
    }

    /** A mission whose one Worker reads .env and writes back what {@code rewrite} makes of what it was shown. */
    private Recorded run(Function<String, String> rewrite) {
        List<ChatRequest> requests = Collections.synchronizedList(new ArrayList<>());
        Function<ChatRequest, ChatResponse> writeBack = request -> toolCall("write_file",
                JsonMapper.builder().build().writeValueAsString(Map.of("path", ".env",
                        "content", rewrite.apply(toolResults(request).getLast())))).apply(request);
        ScriptedProvider script = ScriptedProvider.builder()
                .onTask(Agent.COMMANDER, "triage", brief())
                .onTask(Agent.PLANNER, "plan", toolCall("submit_plan",
                        "{\"todos\":[{\"id\":\"t\",\"description\":\"add DEBUG=true to .env\"}]}"))
                .onTask(Agent.WORKER, "t#1", toolCall("read_file", "{\"path\":\".env\"}"), writeBack, text("done"))
                .onTask(Agent.REVIEWER, "review-1", noIssues())
                .build();
        LlmProvider recording = new ForwardingProvider(script) {
            @Override
            public ChatResponse chat(ChatRequest request) {
                requests.add(request);
                return delegate.chat(request);
            }
        };
        MissionResult result = Mission.builder().goal("add DEBUG=true to .env").workspace(workspace)
                .journal(journal).provider(recording).verifyWith("true").build().run();
        List<ChatRequest> workerCalls = requests.stream()
                .filter(request -> request.metadata(ChatRequest.ROLE).orElse("").equals(Agent.WORKER)).toList();
        return new Recorded(result, requests.stream().map(ChatRequest::toString).toList(),
                toolResults(workerCalls.getLast()));
    }

    private static List<String> toolResults(ChatRequest request) {
        return request.messages().stream().flatMap(message -> message instanceof Message.ToolResult result
                ? Stream.of(result.content()) : Stream.empty()).toList();
    }

    private record Recorded(MissionResult result, List<String> requests, List<String> toolResults) {
    }
}
