package dev.orchestrator.core.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.Mission;
import dev.orchestrator.api.MissionResult;
import dev.orchestrator.api.TodoStatus;
import dev.orchestrator.test.MockLlmServer;
import dev.orchestrator.test.RecordedRequest;
import dev.orchestrator.test.MockReply;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Missions through {@link OpenAiCompatible} against a loopback model that behaves as real ones do at their limits:
 * it refuses a conversation above its context window with OpenAI's {@code context_length_exceeded} 400, and cuts an
 * answer off with {@code finish_reason: length}.
 */
class LongConversationTest {

    /** The loopback model's context window, in tokens of four characters of the request's body. */
    private static final int WINDOW = 12_000;
    private static final int FILES = 6;

    @TempDir
    Path workspace;

    private final AtomicInteger tooLong = new AtomicInteger();
    private final AtomicInteger summaries = new AtomicInteger();
    private final AtomicInteger workerSteps = new AtomicInteger();
    private final List<RecordedRequest> workerRequests = new ArrayList<>();

    private static String content(int file) {
        return ("file " + file + " holds twelve thousand characters. ").repeat(300);
    }

    /** The model: too long above the window, a summary when asked for one, else the mission's agents' answers. */
    private MockReply model(RecordedRequest request) {
        int tokens = request.body().length() / 4;
        if (tokens > WINDOW) {
            tooLong.incrementAndGet();
            return MockReply.json(400, """
                    {"error":{"message":"This model's maximum context length is %d tokens. However, your messages \
                    resulted in %d tokens. Please reduce the length of the messages.","type":"invalid_request_error",\
                    "param":"messages","code":"context_length_exceeded"}}""".formatted(WINDOW, tokens));
        }
        String body;
        if (request.body().contains("You keep the memory of a software agent")) {
            summaries.incrementAndGet();
            body = PlayedModel.text("Read big-0 and the next files; still to read the rest, then write out.txt.",
                    "stop");
        } else if (!OpenAiMissionEndToEndTest.offers(request.json(), "write_file")) {
            body = PlayedModel.answer(request, 1);
        } else {
            workerRequests.add(request);
            int step = workerSteps.getAndIncrement();
            body = step < FILES ? PlayedModel.toolCall("read_file", "{\"path\":\"big-" + step + ".txt\"}")
                    : step == FILES ? PlayedModel.toolCall("write_file", "{\"path\":\"out.txt\",\"content\":\"ok\"}")
                    : PlayedModel.text("Read the six files and wrote out.txt.", "stop");
        }
        // a real model reports the prompt it read, which calibrates the SDK's estimates
        return MockReply.json(200, body.replace("\"prompt_tokens\":20", "\"prompt_tokens\":" + tokens));
    }

    @Test
    void aModelThatRefusesConversationsAboveItsWindowStillGetsTheMissionDone() throws IOException {
        for (int i = 0; i < FILES; i++) {
            Files.writeString(workspace.resolve("big-" + i + ".txt"), content(i));
        }
        try (MockLlmServer server = new MockLlmServer();
                OpenAiCompatible provider = OpenAiCompatible.builder().baseUrl(server.url("/v1")).apiKey("sk-test")
                        .model("loopback-model").build()) {
            server.respondWith(this::model);

            MissionResult result = Mission.builder().goal("Read the big files and write out.txt")
                    .workspace(workspace).provider(provider).verifyWith("test -f out.txt").build().run();

            assertEquals(MissionResult.Outcome.COMPLETED, result.outcome(), result.reason());
            assertEquals("ok", Files.readString(workspace.resolve("out.txt")));
            assertTrue(tooLong.get() >= 1, "the unknown model's window was learned from its error");
            assertTrue(summaries.get() >= 1, "the conversation was compacted");
            assertEquals(FILES + 2, workerSteps.get(), "every turn of the worker was answered once");
        }
    }

    @Test
    void anAnswerCutOffByTheLengthLimitDoesNotFinishTheTodoUntilItIsContinued() {
        AtomicInteger worker = new AtomicInteger();
        try (MockLlmServer server = new MockLlmServer();
                OpenAiCompatible provider = OpenAiCompatible.builder().baseUrl(server.url("/v1")).apiKey("sk-test")
                        .model("loopback-model").build()) {
            server.respondWith(request -> {
                if (!OpenAiMissionEndToEndTest.offers(request.json(), "write_file")) {
                    return MockReply.json(200, PlayedModel.answer(request, 1));
                }
                return MockReply.json(200, switch (worker.getAndIncrement()) {
                    case 0 -> PlayedModel.toolCall("write_file", "{\"path\":\"t1.txt\",\"content\":\"done\"}");
                    case 1 -> PlayedModel.text("done t1: I will now wri", "length");
                    case 2 -> PlayedModel.text("", "stop");
                    default -> PlayedModel.text("te the summary: t1.txt says done.", "stop");
                });
            });

            MissionResult result = Mission.builder().goal("Write t1.txt").workspace(workspace).provider(provider)
                    .verifyWith("test -f t1.txt").build().run();

            assertEquals(MissionResult.Outcome.COMPLETED, result.outcome(), result.reason());
            TodoStatus todo = result.todos().getFirst();
            assertEquals("done t1: I will now write the summary: t1.txt says done.", todo.summary());
            assertEquals(4, worker.get());
        }
    }
}
