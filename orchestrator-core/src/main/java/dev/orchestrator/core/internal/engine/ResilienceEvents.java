package dev.orchestrator.core.internal.engine;

import dev.orchestrator.api.ChatRequest;
import dev.orchestrator.api.LlmException;
import dev.orchestrator.api.MissionEvent.CallRetried;
import dev.orchestrator.api.MissionEvent.CallWaited;
import dev.orchestrator.api.MissionEvent.CallsPaused;
import dev.orchestrator.api.MissionEvent.ConcurrencyChanged;
import dev.orchestrator.core.internal.limit.LimiterKey;
import dev.orchestrator.core.internal.limit.LimiterListener;
import dev.orchestrator.core.internal.limit.LimiterRegistry;
import dev.orchestrator.core.internal.limit.PacedRates;
import dev.orchestrator.core.internal.limit.PauseCause;
import dev.orchestrator.core.internal.limit.Priority;
import dev.orchestrator.core.internal.retry.RetryListener;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns what the retry layer and the rate limiter do into mission events, so listeners and the journal see every
 * retry, every wait for a permit, every wait for a pause or the pacer with its cause, expected end and queue (so that a
 * progress display can say why nothing moves), and every change of the limit that matters: a cut or a step of one
 * whole call up (raises by fractions of a call happen on most successes and change nothing visible), or of the
 * rates the pacer learned. Each change carries the limit, pause and rates, so that the last one is all a resume
 * needs to restore the limiter. Limiters are shared across missions in the JVM; this reports only the limiters of
 * this mission's provider and quota.
 */
final class ResilienceEvents implements RetryListener, LimiterListener {

    private final EventRecorder recorder;
    private final LimiterRegistry limiters;
    private final String provider;
    private final String quotaId;
    /** How long the pacer lets calls through without a wait before its next wait begins a new spell of pacing. */
    static final Duration PACING_GAP = Duration.ofMinutes(1);

    private final Map<LimiterKey, Wait> lastWaits = new ConcurrentHashMap<>();

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
            recordChange(key, newLimit, limiters.limiter(key).pacedRates(), newLimit < oldLimit ? "CUT" : "RAISED");
        }
    }

    @Override
    public void onRatesLearned(LimiterKey key, PacedRates rates) {
        if (isOurs(key)) {
            recordChange(key, limiters.limiter(key).state().limit(), rates, "PACED");
        }
    }

    /** Records the limiter as it is now: its limit, its pause and its pacer's rates, all that a resume restores. */
    private void recordChange(LimiterKey key, double limit, PacedRates rates, String cause) {
        recorder.recordWhileRunning(new ConcurrencyChanged(key.toString(), limit,
                limiters.limiter(key).state().pausedUntil(), cause, rates.requestsPerMinute(),
                rates.tokensPerMinute(), recorder.now()));
    }

    @Override
    public void onPaused(LimiterKey key, Instant until, PauseCause cause) {
        if (isOurs(key)) {
            reportWait(key, cause, until, limiters.limiter(key).state().waiting());
        }
    }

    @Override
    public void onWaiting(LimiterKey key, PauseCause cause, Instant until, int queued) {
        if (isOurs(key)) {
            reportWait(key, cause, until, queued);
        }
    }

    /**
     * Records a wait unless it says nothing new: the limiter reports one for every caller that queues, and the
     * pacer moves its wake-up with every send. So a pause is new when its cause is, or when its end moved by a
     * second or more; the pacer's waits are one spell of pacing (whichever rate binds) until the pacer has let
     * calls through without a wait for {@link #PACING_GAP}: otherwise a journal at a paced rate near a call a second
     * would hold a wait event per call. Nor a wait that is over when it is told: stamped after its end, it would
     * say the mission waits when nothing does.
     */
    private void reportWait(LimiterKey key, PauseCause cause, Instant until, int queued) {
        Instant now = recorder.now();
        if (!until.isAfter(now)) {
            return; // the limiter tells of a wait after the fact, on a busy machine even after its end
        }
        Wait last = lastWaits.get(key);
        if (last != null && cause.isPacing() && last.cause().isPacing()
                && now.isBefore(last.until().plus(PACING_GAP))) {
            // the spell goes on; its end moves on with it, or every wait a minute after the first would be new
            lastWaits.put(key, new Wait(last.cause(), until.isAfter(last.until()) ? until : last.until()));
            return;
        }
        if (last != null && last.cause() == cause
                && Duration.between(last.until(), until).abs().compareTo(Duration.ofSeconds(1)) < 0) {
            return;
        }
        lastWaits.put(key, new Wait(cause, until));
        recorder.recordWhileRunning(new CallsPaused(key.toString(), cause.name(), until, queued, now));
    }

    private record Wait(PauseCause cause, Instant until) {
    }

    private boolean isOurs(LimiterKey key) {
        return key.provider().equals(provider) && key.keyId().equals(quotaId);
    }
}
