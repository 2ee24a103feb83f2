package dev.orchestrator.core.internal.engine;

import dev.orchestrator.api.ChatRequest;
import dev.orchestrator.api.LlmException;
import dev.orchestrator.api.MissionEvent.CallRetried;
import dev.orchestrator.api.MissionEvent.CallWaited;
import dev.orchestrator.api.MissionEvent.ConcurrencyChanged;
import dev.orchestrator.core.internal.limit.LimiterKey;
import dev.orchestrator.core.internal.limit.LimiterListener;
import dev.orchestrator.core.internal.limit.LimiterRegistry;
import dev.orchestrator.core.internal.limit.PauseCause;
import dev.orchestrator.core.internal.limit.Priority;
import dev.orchestrator.core.internal.retry.RetryListener;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Turns what the retry layer and the rate limiter do into mission events, so listeners and the journal see every
 * retry, every wait for a permit, and every change of the limit that matters: a cut, a pause, or a step of one
 * whole call up. (Raises by fractions of a call happen on most successes and change nothing visible.) Limiters are
 * shared across missions in the JVM; this reports only the limiters of this mission's provider and quota.
 */
final class ResilienceEvents implements RetryListener, LimiterListener {

    private final EventRecorder recorder;
    private final LimiterRegistry limiters;
    private final String provider;
    private final String quotaId;

    ResilienceEvents(EventRecorder recorder, LimiterRegistry limiters, String provider, String quotaId) {
        this.recorder = recorder;
        this.limiters = limiters;
        this.provider = provider;
        this.quotaId = quotaId;
    }

    @Override
    public void onRetry(LimiterKey key, ChatRequest request, int attempt, Duration delay, LlmException failure) {
        recorder.recordWhileRunning(new CallRetried(request.metadata(ChatRequest.TASK).orElse(""), attempt, delay,
                failure.getClass().getSimpleName() + ": " + failure.getMessage(), recorder.now()));
    }

    @Override
    public void onWaitingToRetry(LimiterKey key, ChatRequest request, int send, Duration wait,
            Duration patienceLeft, LlmException failure) {
        // a wait the provider asked for is no failed attempt, but the mission still hears of the refusal
        onRetry(key, request, send, wait, failure);
    }

    @Override
    public void onAdmittedAfterWait(LimiterKey key, Priority priority, Duration waited) {
        if (isOurs(key)) {
            recorder.recordWhileRunning(new CallWaited(key.toString(), waited, recorder.now()));
        }
    }

    @Override
    public void onLimitChanged(LimiterKey key, double oldLimit, double newLimit) {
        if (isOurs(key) && (newLimit < oldLimit || Math.floor(newLimit) > Math.floor(oldLimit))) {
            recorder.recordWhileRunning(new ConcurrencyChanged(key.toString(), newLimit, pausedUntil(key),
                    newLimit < oldLimit ? "CUT" : "RAISED", recorder.now()));
        }
    }

    @Override
    public void onPaused(LimiterKey key, Instant until, PauseCause cause) {
        if (isOurs(key)) {
            recorder.recordWhileRunning(new ConcurrencyChanged(key.toString(), limiters.limiter(key).state().limit(),
                    Optional.of(until), cause.name(), recorder.now()));
        }
    }

    private Optional<Instant> pausedUntil(LimiterKey key) {
        return limiters.limiter(key).state().pausedUntil();
    }

    private boolean isOurs(LimiterKey key) {
        return key.provider().equals(provider) && key.keyId().equals(quotaId);
    }
}
