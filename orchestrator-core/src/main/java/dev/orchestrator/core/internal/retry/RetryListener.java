package dev.orchestrator.core.internal.retry;

import dev.orchestrator.api.ChatRequest;
import dev.orchestrator.api.LlmException;
import dev.orchestrator.core.internal.limit.LimiterKey;
import java.time.Duration;

/**
 * What the retry layer does, for progress displays and reports. Every method does nothing by default, so adding an
 * event breaks no listener. Methods are called on the calling thread.
 */
public interface RetryListener {

    /** A listener that ignores everything. */
    RetryListener NONE = new RetryListener() { };

    /** Attempt {@code attempt} failed with {@code failure}; the call is tried again after {@code delay}. */
    default void onRetry(LimiterKey key, ChatRequest request, int attempt, Duration delay, LlmException failure) {
    }

    /**
     * Send {@code send} (from 1) of the call was refused with a wait ({@code failure} carries it, a 429 or 529/503
     * with a retry-after or a used-up window's reset): the call waits {@code wait}, through the limiter's pause, and
     * goes again, without using an attempt or the retry budget; {@code patienceLeft} is what remains of its
     * patience after this wait.
     */
    default void onWaitingToRetry(LimiterKey key, ChatRequest request, int send, Duration wait,
            Duration patienceLeft, LlmException failure) {
    }

    /** The request was too long; it is tried again once, shortened. */
    default void onCompacted(LimiterKey key, ChatRequest tooLong, ChatRequest shorter) {
    }

    /** The call failed for good after {@code attempts} attempts. */
    default void onGaveUp(LimiterKey key, ChatRequest request, int attempts, LlmException failure) {
    }
}
