package dev.orchestrator.core.internal.retry;

import dev.orchestrator.api.ChatRequest;
import dev.orchestrator.api.ChatResponse;
import dev.orchestrator.api.ForwardingProvider;
import dev.orchestrator.api.LlmException;
import dev.orchestrator.api.LlmProvider;
import dev.orchestrator.api.MissionStoppedException;
import dev.orchestrator.api.StreamListener;
import dev.orchestrator.core.internal.limit.AdmissionTimeoutException;
import dev.orchestrator.core.internal.limit.AimdLimiter;
import dev.orchestrator.core.internal.limit.LimiterKey;
import dev.orchestrator.core.internal.limit.LimiterRegistry;
import dev.orchestrator.core.internal.limit.Permit;
import dev.orchestrator.core.internal.limit.Priority;
import dev.orchestrator.core.internal.limit.Scheduler;
import dev.orchestrator.core.internal.log.Durations;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Wraps a provider so that every attempt of every call waits for a permit of the limiter for its provider, model
 * and API key, reports its outcome to that limiter, and is retried as the {@link RetryRules} decide. The engine
 * wraps the user's provider with this once; the provider itself must not retry.
 *
 * <p>A refusal that says when to come back (429 or 529/503 with a retry-after) is waited out, through the limiter's
 * pause, as long as the call's {@link RetryPolicy#patience()} lasts; other transient failures are attempts, retried
 * as the rules and the budget allow. A permit whose holder learns of a pause before sending is given back unused.
 *
 * <p>Failures are thrown as {@link LlmException}s of the provider's own kind, with a message that says why the
 * call was not retried and what to do; a call that waited its whole patience for a permit throws
 * {@link LlmException.Transient}, and an interrupted one {@link MissionStoppedException}. A streamed call that breaks off is retried from the start, so its listener may
 * hear the beginning twice.
 */
public final class RetryingProvider extends ForwardingProvider {

    private final LimiterRegistry limiters;
    private final String keyId;
    private final RetryRules rules;
    private final Compaction compaction;
    private final RetryListener listener;
    private final Scheduler scheduler;
    private final Blocker blocker;

    private RetryingProvider(Builder builder) {
        super(builder.delegate);
        this.limiters = builder.limiters;
        this.keyId = builder.keyId;
        this.rules = builder.rules;
        this.compaction = builder.compaction;
        this.listener = builder.listener;
        this.scheduler = builder.scheduler;
        this.blocker = builder.blocker;
    }

    /**
     * A builder for a wrapper of {@code delegate} whose calls go through {@code limiters}, under the API key
     * named by {@code keyId} (a caller-supplied id or {@link LimiterKey#ofApiKey a hash}, never the key).
     */
    public static Builder builder(LlmProvider delegate, LimiterRegistry limiters, String keyId) {
        return new Builder(delegate, limiters, keyId);
    }

    @Override
    public ChatResponse chat(ChatRequest request) {
        return call(request, delegate::chat);
    }

    @Override
    public ChatResponse stream(ChatRequest request, StreamListener streamListener) {
        return call(request, r -> delegate.stream(r, streamListener));
    }

    private ChatResponse call(ChatRequest first, Function<ChatRequest, ChatResponse> send) {
        LimiterKey key = new LimiterKey(delegate.name(), first.model().orElse(delegate.defaultModel()), keyId);
        AimdLimiter limiter = limiters.limiter(key);
        Priority priority = Priority.ofRole(first.metadata(ChatRequest.ROLE).orElse(""));
        rules.recordCall();
        ChatRequest request = first;
        boolean compacted = false;
        int attempts = 0;
        int sends = 0;
        long waited = 0;
        long sending = 0;
        while (true) {
            long askedAt = nanos();
            Permit permit = acquire(limiter, priority, TokenEstimate.of(request),
                    rules.policy().patience().minusNanos(waited));
            waited += nanos() - askedAt;
            if (!permit.startSend()) {
                // a response announced a pause after this permit was granted: wait for its end like everyone else
                permit.ignored();
                continue;
            }
            long sentAt = nanos();
            sends++;
            LlmException failure;
            try {
                ChatResponse response = send.apply(request);
                permit.success(response.rateLimits(), TokenEstimate.used(response.usage()));
                return response;
            } catch (LlmException e) {
                LimiterFeedback.release(permit, e);
                failure = e;
            } catch (RuntimeException | Error e) {
                permit.ignored();
                throw e;
            } finally {
                sending += nanos() - sentAt;
            }
            attempts++;
            RetryRules.SoFar soFar = new RetryRules.SoFar(attempts, compacted, Duration.ofNanos(waited),
                    Duration.ofNanos(sending));
            switch (rules.decide(failure, soFar, key.toString())) {
                case RetryDecision.Wait wait -> {
                    // the server said when to come back: not an attempt; the limiter's pause does the waiting
                    attempts--;
                    listener.onWaitingToRetry(key, request, sends, wait.delay(),
                            rules.policy().patience().minusNanos(waited).minus(wait.delay()), failure);
                }
                case RetryDecision.Retry retry -> {
                    listener.onRetry(key, request, attempts, retry.delay(), failure);
                    long sleptFrom = nanos();
                    sleep(retry.delay(), key);
                    waited += nanos() - sleptFrom;
                }
                case RetryDecision.Compact() -> {
                    ChatRequest tooLong = request;
                    int failed = attempts;
                    // unchanged, so that the caller compacts the conversation itself (the built-in agents do)
                    request = compaction.shorten(tooLong).orElseThrow(() -> giveUp(key, tooLong, failed, failure));
                    compacted = true;
                    listener.onCompacted(key, tooLong, request);
                }
                case RetryDecision.GiveUp giveUp -> throw giveUp(key, request, attempts, giveUp.error());
            }
        }
    }

    private long nanos() {
        Instant now = scheduler.instant();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    private LlmException giveUp(LimiterKey key, ChatRequest request, int attempts, LlmException error) {
        listener.onGaveUp(key, request, attempts, error);
        return error;
    }

    private Permit acquire(AimdLimiter limiter, Priority priority, long tokens, Duration patienceLeft) {
        if (!patienceLeft.isPositive()) {
            throw new LlmException.Transient("a call to " + limiter.key() + " waited its whole patience of "
                    + Durations.words(rules.policy().patience()) + "; raise it (Mission.Builder.callPatience"
                    + "(...)) or lower the number of parallel workers", 0, null);
        }
        CompletableFuture<Permit> permit = limiter.acquire(priority, tokens, patienceLeft);
        try {
            return blocker.await(permit);
        } catch (AdmissionTimeoutException e) {
            // a passing condition like any other overload: the task may try again later, the mission goes on
            throw new LlmException.Transient(e.getMessage() + " (the rest of this call's patience of "
                    + Durations.words(rules.policy().patience()) + "; raise it with Mission.Builder"
                    + ".callPatience(...))", 0, e);
        } catch (InterruptedException e) {
            // stop waiting; if the permit arrived meanwhile, give it back so that no slot is lost
            if (!permit.cancel(false) && !permit.isCompletedExceptionally()) {
                permit.join().ignored();
            }
            Thread.currentThread().interrupt();
            throw new MissionStoppedException("interrupted while waiting for a permit to call " + limiter.key());
        }
    }

    private void sleep(Duration delay, LimiterKey key) {
        if (!delay.isPositive()) {
            return;
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        Scheduler.Cancellable wake = scheduler.schedule(delay, () -> done.complete(null));
        try {
            blocker.await(done);
        } catch (InterruptedException e) {
            wake.cancel();
            Thread.currentThread().interrupt();
            throw new MissionStoppedException("interrupted while backing off before retrying a call to " + key);
        }
    }

    /** Builds a {@link RetryingProvider}. */
    public static final class Builder {
        private final LlmProvider delegate;
        private final LimiterRegistry limiters;
        private final String keyId;
        private RetryRules rules;
        private Compaction compaction = Compaction.NONE;
        private RetryListener listener = RetryListener.NONE;
        private Scheduler scheduler;
        private Blocker blocker = Blocker.system();

        private Builder(LlmProvider delegate, LimiterRegistry limiters, String keyId) {
            this.delegate = Objects.requireNonNull(delegate, "delegate");
            this.limiters = Objects.requireNonNull(limiters, "limiters");
            this.keyId = Objects.requireNonNull(keyId, "keyId");
            this.scheduler = limiters.scheduler();
        }

        /** The retry rules, and so the retry budget; by default the {@link RetryPolicy#defaults()}. */
        public Builder rules(RetryRules rules) {
            this.rules = Objects.requireNonNull(rules, "rules");
            return this;
        }

        /** What shortens a request that is too long; by default nothing does. */
        public Builder compaction(Compaction compaction) {
            this.compaction = Objects.requireNonNull(compaction, "compaction");
            return this;
        }

        /** Who hears of retries; by default no one. */
        public Builder listener(RetryListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * The time backoffs are measured on and the way a thread waits; by default the limiters' scheduler and a
         * parked thread. Tests on virtual time pass theirs, which must be the limiters' time too.
         */
        public Builder time(Scheduler scheduler, Blocker blocker) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            this.blocker = Objects.requireNonNull(blocker, "blocker");
            return this;
        }

        /** The wrapper. */
        public RetryingProvider build() {
            if (rules == null) {
                rules = new RetryRules(RetryPolicy.defaults(), scheduler, new SplittableRandom());
            }
            return new RetryingProvider(this);
        }
    }
}
