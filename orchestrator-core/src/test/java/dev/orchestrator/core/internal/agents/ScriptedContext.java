package dev.orchestrator.core.internal.agents;

import dev.orchestrator.api.AgentContext;
import dev.orchestrator.api.ChatRequest;
import dev.orchestrator.api.LlmGateway;
import dev.orchestrator.api.Message;
import dev.orchestrator.api.ProjectMemory;
import dev.orchestrator.api.ToolBox;
import dev.orchestrator.api.ToolCall;
import dev.orchestrator.api.ToolSpec;
import dev.orchestrator.api.Workspace;
import dev.orchestrator.core.llm.ScriptedProvider;
import java.util.ArrayList;
import java.util.List;

/**
 * A context for one agent alone: its model is a script, every request it sends is kept in {@code sent}, and its
 * tools answer each call with {@code toolAnswer} (or there are none), to watch the agent's conversation.
 */
record ScriptedContext(ScriptedProvider provider, List<ChatRequest> sent, String role, String taskId,
        List<ToolSpec> specs, List<ToolCall> toolCalls) implements AgentContext {

    static final ToolSpec READ_FILE = new ToolSpec("read_file", "Reads a file.", "{\"type\":\"object\"}");

    /** A context without tools. */
    static ScriptedContext of(ScriptedProvider provider, List<ChatRequest> sent, String role, String taskId) {
        return new ScriptedContext(provider, sent, role, taskId, List.of(), new ArrayList<>());
    }

    /** A context with a read_file tool that answers every call with "ok", and keeps the calls. */
    static ScriptedContext withReadFile(ScriptedProvider provider, List<ChatRequest> sent, String role,
            String taskId) {
        return new ScriptedContext(provider, sent, role, taskId, List.of(READ_FILE), new ArrayList<>());
    }

    @Override
    public String missionId() {
        return "m";
    }

    @Override
    public LlmGateway llm() {
        return request -> {
            ChatRequest tagged = request.toBuilder().metadata(ChatRequest.ROLE, role)
                    .metadata(ChatRequest.TASK, taskId).build();
            sent.add(tagged);
            return provider.chat(tagged);
        };
    }

    @Override
    public ToolBox tools() {
        return new ToolBox() {
            @Override
            public List<ToolSpec> specs() {
                return specs;
            }

            @Override
            public Message.ToolResult call(ToolCall call, int turn, int index) {
                if (specs.isEmpty()) {
                    throw new AssertionError("the " + role + " has no tools here");
                }
                toolCalls.add(call);
                return new Message.ToolResult(call.id(), call.name(), "ok", false);
            }
        };
    }

    @Override
    public Workspace workspace() {
        throw new AssertionError("not needed");
    }

    @Override
    public ProjectMemory memory() {
        return new ProjectMemory() {
            @Override
            public String atStart() {
                return "";
            }

            @Override
            public String read() {
                return "";
            }

            @Override
            public void remember(String note) {
                throw new AssertionError("not expected here");
            }
        };
    }

    @Override
    public void emit(String note) {
    }
}
