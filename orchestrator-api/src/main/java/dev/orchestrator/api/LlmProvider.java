package dev.orchestrator.api;

import java.util.Optional;
import java.util.Set;

/**
 * A large language model behind some API. The SDK's built-in providers speak OpenAI's Chat Completions and
 * Anthropic's Messages; implement this for anything else.
 *
 * <p>Implementations must be safe to call from many threads at once, must not retry on their own (retries and rate
 * limiting are done around every call, so that they see every failure), and report failures as
 * {@link LlmException}s. They must never put an API key into an exception, a log line or a response.
 */
public interface LlmProvider {

    /**
     * A short name for logs and limiter keys, such as {@code openai} or {@code anthropic}. Calls to the same name
     * and model share one rate limiter.
     *
     * @return the provider's short name
     */
    String name();

    /** {@return the model used when a request does not name one} */
    String defaultModel();

    /**
     * The quota this provider's calls draw from. Calls with the same {@link #name()}, model and quota id share one
     * adaptive concurrency limiter in the JVM and are retried when they fail for a passing reason. Never the API
     * key itself: a hash of it, or an account name. Empty when calls draw from no shared quota (a scripted or
     * in-process model): they are then neither limited nor retried. By default all callers of this provider's
     * name share one quota.
     *
     * @return the quota's id, or empty for none
     */
    default Optional<String> quotaId() {
        return Optional.of("default");
    }

    /**
     * The credentials this provider holds (its API key), which a mission redacts from every tool output so that a
     * command printing one cannot hand it to the model or the journal. None by default.
     *
     * @return the credentials' values
     */
    default Set<String> credentials() {
        return Set.of();
    }

    /**
     * Sends {@code request} and returns the whole answer.
     *
     * @throws LlmException when the call fails; its subtype says whether it is worth retrying
     * @param request the request
     * @return the model's answer
     */
    ChatResponse chat(ChatRequest request);

    /**
     * Sends {@code request} and reports the answer to {@code listener} as it arrives, then returns it whole.
     * The default calls {@link #chat} and reports the text once.
     *
     * @throws LlmException when the call fails, also when the stream breaks off after it started
     * @param request the request
     * @param listener the listener
     * @return the whole answer
     */
    default ChatResponse stream(ChatRequest request, StreamListener listener) {
        ChatResponse response = chat(request);
        for (ToolCall call : response.toolCalls()) {
            listener.onToolCallStarted(call.id(), call.name());
        }
        if (!response.text().isEmpty()) {
            listener.onText(response.text());
        }
        return response;
    }
}
