package dev.orchestrator.core.internal.retry;

import dev.orchestrator.api.ChatRequest;
import java.util.Optional;

/**
 * Shortens a request that was too long for the model's context window. The seam for the compaction issue: the
 * retry layer calls it once per call and retries with what it returns.
 */
@FunctionalInterface
public interface Compaction {

    /** No compaction: a context-length error fails the call. */
    Compaction NONE = request -> Optional.empty();

    /** A shorter request with the same meaning, or empty if this one cannot be shortened. */
    Optional<ChatRequest> shorten(ChatRequest request);
}
