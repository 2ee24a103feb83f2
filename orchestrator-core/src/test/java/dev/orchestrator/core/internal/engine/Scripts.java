package dev.orchestrator.core.internal.engine;

import dev.orchestrator.api.ChatRequest;
import dev.orchestrator.api.ChatResponse;
import dev.orchestrator.api.LlmException;
import dev.orchestrator.api.Message;
import dev.orchestrator.core.llm.ScriptedProvider;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Predicate;

/** Small pieces of scripts shared by the engine's tests. */
final class Scripts {

    private Scripts() {
    }

    static Predicate<ChatRequest> role(String role) {
        return request -> request.metadata(ChatRequest.ROLE).filter(role::equals).isPresent();
    }

    static Predicate<ChatRequest> task(String taskId) {
        return request -> request.metadata(ChatRequest.TASK).filter(taskId::equals).isPresent();
    }

    /** Whether the first message of the conversation contains {@code text}. */
    static Predicate<ChatRequest> firstMessageContains(String text) {
        return request -> request.messages().getFirst() instanceof Message.User user && user.text().contains(text);
    }

    static Function<ChatRequest, ChatResponse> brief() {
        return ScriptedProvider.toolCall("write_brief", "{\"brief\":\"Keep it small.\"}");
    }

    static Function<ChatRequest, ChatResponse> noIssues() {
        return ScriptedProvider.toolCall("report_issues", "{\"issues\":[]}");
    }

    /**
     * Fails the first {@code failures} calls it gets with a transient error, as a provider does after the retry
     * layer gave up on a 503, then answers with {@code then}.
     */
    static Function<ChatRequest, ChatResponse> failingTransiently(int failures, Function<ChatRequest, ChatResponse> then) {
        AtomicInteger calls = new AtomicInteger();
        return request -> {
            if (calls.getAndIncrement() < failures) {
                throw new LlmException.Transient("HTTP 503: service unavailable, not retried: the retry budget is "
                        + "spent", 503, null);
            }
            return then.apply(request);
        };
    }

    static String writeFile(String path, String content) {
        return "{\"path\":" + quote(path) + ",\"content\":" + quote(content) + "}";
    }

    static String quote(String text) {
        return '"' + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + '"';
    }
}
