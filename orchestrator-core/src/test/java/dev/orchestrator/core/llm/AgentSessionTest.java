package dev.orchestrator.core.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.Agent;
import dev.orchestrator.api.AgentSession;
import dev.orchestrator.api.ChatRequest;
import dev.orchestrator.api.Message;
import dev.orchestrator.api.Mission;
import dev.orchestrator.api.MissionEvent;
import dev.orchestrator.api.Tool;
import dev.orchestrator.api.ToolArguments;
import dev.orchestrator.api.ToolCall;
import dev.orchestrator.api.ToolContext;
import dev.orchestrator.api.ToolResult;
import dev.orchestrator.test.MissionRecorder;
import dev.orchestrator.test.MockLlmExtension;
import dev.orchestrator.test.MockLlmServer;
import dev.orchestrator.test.MockReply;
import dev.orchestrator.test.WorkspaceDir;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** One task's context opened from a mission without running it: real tools, calls and events, for unit tests. */
@ExtendWith(MockLlmExtension.class)
class AgentSessionTest {

    /** A user's tool: writes its text upper-cased to a file. */
    private static final Tool SHOUT = new Tool() {
        @Override
        public String name() {
            return "shout";
        }

        @Override
        public String description() {
            return "Writes text upper-cased to shout.txt";
        }

        @Override
        public String inputSchema() {
            return "{\"type\":\"object\",\"properties\":{\"text\":{\"type\":\"string\"}},\"required\":[\"text\"]}";
        }

        @Override
        public ToolResult execute(ToolArguments arguments, ToolContext context) {
            try {
                Files.writeString(context.workspace().resolve("shout.txt"),
                        arguments.string("text").toUpperCase(Locale.ROOT));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return ToolResult.ok("wrote shout.txt");
        }
    };

    @Test
    void aToolAndTheModelAreCalledAsInAMissionWithItsEvents(MockLlmServer server, @WorkspaceDir Path workspace)
            throws Exception {
        server.enqueue(MockReply.text("hello from the model"));
        MissionRecorder recorder = new MissionRecorder();
        try (OpenAiCompatible provider = OpenAiCompatible.builder().baseUrl(server.openAiBaseUrl()).apiKey("sk-test")
                .model("m").build();
                AgentSession context = Mission.builder().goal("test one tool").workspace(workspace)
                        .provider(provider).verifyWith("true").tool(SHOUT).listener(recorder).build()
                        .openContext(Agent.WORKER, "t1#1")) {
            Message.ToolResult shouted = context.tools().call(new ToolCall("c1", "shout", "{\"text\":\"hi\"}"), 0, 0);
            Message.ToolResult missing = context.tools().call(new ToolCall("c2", "shout", "{}"), 0, 1);
            Message.ToolResult escape = context.tools().call(new ToolCall("c3", "read_file",
                    "{\"path\":\"../outside.txt\"}"), 0, 2);
            String answer = context.llm().chat(ChatRequest.builder().message(Message.user("hi")).build()).text();
            context.emit("tested");

            assertEquals("HI", Files.readString(workspace.resolve("shout.txt")));
            assertFalse(shouted.isError(), shouted.content());
            assertTrue(missing.isError() && missing.content().contains("text"), missing.content());
            assertTrue(escape.isError(), "the built-in tools are confined as in a mission: " + escape.content());
            assertEquals("hello from the model", answer);
        }
        assertEquals(3, recorder.events(MissionEvent.ToolCallCompleted.class).size());
        assertEquals(1, recorder.events(MissionEvent.LlmCallCompleted.class).size());
        assertEquals("tested", recorder.events(MissionEvent.AgentNote.class).getLast().text());
    }
}
