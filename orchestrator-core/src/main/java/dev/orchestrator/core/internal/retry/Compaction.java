package dev.orchestrator.core.internal.retry;

import dev.orchestrator.api.ChatRequest;
import java.util.Optional;

/**
 * Shortens a request that was too long for the model's context window: the retry layer calls it once per call and
 * retries with what it returns.
 *
 * <p>The engine leaves it {@link #NONE}: a good shortening is a summary written by the model, and a call made here
 * could not be journaled. The built-in agents' conversations compact themselves instead, through their task's
 * journaled gateway, when they near the window or get the context-length error this layer passes on unchanged
 * ({@code ToolLoop} and {@code Compactor} in the agents' package).
 */
@FunctionalInterface
public interface Compaction {

    /** No compaction here: a context-length error goes to the caller as the provider reported it. */
    Compaction NONE = request -> Optional.empty();

    /** A shorter request with the same meaning, or empty if this one cannot be shortened. */
    Optional<ChatRequest> shorten(ChatRequest request);
}
