package dev.orchestrator.core.internal.retry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.ChatRequest;
import dev.orchestrator.api.ChatResponse;
import dev.orchestrator.api.LlmException;
import dev.orchestrator.api.LlmProvider;
import dev.orchestrator.api.Message;
import dev.orchestrator.api.MissionStoppedException;
import dev.orchestrator.api.RateLimits;
import dev.orchestrator.api.Usage;
import dev.orchestrator.core.internal.limit.AimdLimiter;
import dev.orchestrator.core.internal.limit.LimiterKey;
import dev.orchestrator.core.internal.limit.LimiterListener;
import dev.orchestrator.core.internal.limit.LimiterRegistry;
import dev.orchestrator.core.internal.limit.LimiterSettings;
import dev.orchestrator.core.internal.limit.LimiterState;
import dev.orchestrator.core.internal.limit.ManualTime;
import dev.orchestrator.core.internal.limit.Permit;
import dev.orchestrator.core.internal.limit.Priority;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RetryingProviderTest {

    private static final ChatRequest REQUEST = ChatRequest.builder().message(new Message.User("hello"))
            .metadata(ChatRequest.ROLE, "worker").build();
    private static final ChatResponse OK = ChatResponse.ofText("hi", Usage.of(1, 1), "m");

    private final ManualTime time = new ManualTime();
    private final LimiterRegistry registry = LimiterRegistry.on(time,
            LimiterSettings.builder().initialLimit(10).pauseJitter(0, Duration.ZERO).build(), 7);
    private final AimdLimiter limiter = registry.limiter(new LimiterKey("fake", "m", "key-1"));
    private final Outcomes provider = new Outcomes();
    private final List<String> events = new ArrayList<>();

    private RetryingProvider retrying(RetryPolicy policy, Compaction compaction) {
        return RetryingProvider.builder(provider, registry, "key-1")
                .rules(new RetryRules(policy, time, new SplittableRandom(3)))
                .compaction(compaction)
                .listener(new RetryListener() {
                    @Override
                    public void onRetry(LimiterKey key, ChatRequest request, int attempt, Duration delay,
                            LlmException failure) {
                        events.add("retry " + attempt + " after " + delay.toMillis() + " ms, "
                                + limiter.state().inFlight() + " in flight");
                    }

                    @Override
                    public void onWaitingToRetry(LimiterKey key, ChatRequest request, int send, Duration wait,
                            Duration patienceLeft, LlmException failure) {
                        events.add("wait " + wait.toMillis() + " ms, " + patienceLeft.toSeconds() + " s left");
                    }

                    @Override
                    public void onCompacted(LimiterKey key, ChatRequest tooLong, ChatRequest shorter) {
                        events.add("compacted");
                    }

                    @Override
                    public void onGaveUp(LimiterKey key, ChatRequest request, int attempts, LlmException failure) {
                        events.add("gave up after " + attempts);
                    }
                })
                .time(time, time)
                .build();
    }

    private RetryingProvider retrying() {
        return retrying(RetryPolicy.defaults(), Compaction.NONE);
    }

    static Stream<Arguments> failures() {
        return Stream.of(
                Arguments.of(new LlmException.RateLimited("429", Optional.empty(), RateLimits.UNKNOWN), true, true),
                Arguments.of(new LlmException.Overloaded("529", 529, Optional.empty()), true, true),
                Arguments.of(new LlmException.Overloaded("503", 503, Optional.empty()), true, true),
                Arguments.of(new LlmException.Transient("timeout", 0, new HttpTimeoutException("t")), true, true),
                Arguments.of(new LlmException.Transient("504", 504, null), true, true),
                Arguments.of(new LlmException.Transient("500", 500, null), true, false),
                Arguments.of(new LlmException.Transient("reset", 0, new java.io.IOException("reset")), true, false),
                Arguments.of(new LlmException.QuotaExhausted("add credit", 429), false, false),
                Arguments.of(new LlmException.AuthenticationFailed("check OPENAI_API_KEY", 401), false, false),
                Arguments.of(new LlmException.InvalidRequest("bad temperature", 400), false, false),
                Arguments.of(new LlmException.ContextLengthExceeded("too long", 400), false, false));
    }

    @ParameterizedTest
    @MethodSource("failures")
    void retriesOnlyTransientFailuresAndCutsTheLimitOnlyForDrops(LlmException failure, boolean retried,
            boolean drop) {
        provider.then(failure).then(OK);
        if (retried) {
            assertSame(OK, retrying().chat(REQUEST));
            assertEquals(2, provider.sent.size());
        } else {
            LlmException thrown = assertThrows(LlmException.class, () -> retrying().chat(REQUEST));
            assertEquals(failure.getClass(), thrown.getClass());
            assertEquals(1, provider.sent.size(), "a fatal failure is not sent again");
        }
        assertEquals(drop ? 7 : 10, limiter.state().limit(), 1e-9, "limit after " + failure.getMessage());
        assertEquals(0, limiter.state().inFlight(), "every attempt's permit is released");
    }

    @Test
    void fatalFailuresAreThrownAsTheProviderWroteThem() {
        LlmException auth = new LlmException.AuthenticationFailed("OPENAI_API_KEY was refused: check it", 401);
        provider.then(auth);
        assertSame(auth, assertThrows(LlmException.class, () -> retrying().chat(REQUEST)));
        assertEquals(List.of("gave up after 1"), events);
    }

    @Test
    void aRetryAfterIsWaitedOutAndNothingIsSentDuringThePause() {
        provider.then(new LlmException.RateLimited("429", Optional.of(Duration.ofSeconds(7)), RateLimits.UNKNOWN))
                .then(OK);
        assertSame(OK, retrying().chat(REQUEST));
        assertEquals(Duration.ofSeconds(7), Duration.between(provider.sent.get(0).at, provider.sent.get(1).at));
        assertTrue(provider.sent.stream().allMatch(s -> s.pausedAtSend.isEmpty()), "a call was sent in a pause");
        assertEquals(List.of("wait 7000 ms, 893 s left"), events);
        assertEquals(0, limiter.sends().startedInKnownPause());
    }

    @Test
    void waitsTheServerAskedForAreNeitherAttemptsNorRetriesOfTheBudget() {
        // one attempt and no retry budget at all: only waits the server asked for can get this call through
        RetryPolicy policy = RetryPolicy.builder().maxAttempts(1).budget(0, 0, Duration.ofSeconds(60)).build();
        for (int i = 0; i < 12; i++) {
            provider.then(i % 2 == 0
                    ? new LlmException.RateLimited("429", Optional.of(Duration.ofSeconds(2)), RateLimits.UNKNOWN)
                    : new LlmException.Overloaded("529", 529, Optional.of(Duration.ofSeconds(1))));
        }
        provider.then(OK);
        assertSame(OK, retrying(policy, Compaction.NONE).chat(REQUEST));
        assertEquals(13, provider.sent.size());
        assertEquals(12, events.size(), events.toString());
        assertTrue(events.stream().allMatch(e -> e.startsWith("wait ")), events.toString());
    }

    @Test
    void aRetryAfterBeyondThePatienceLeftFailsAtOnceNamingTheWaitAndTheKnob() {
        provider.then(new LlmException.RateLimited("429", Optional.of(Duration.ofSeconds(300)),
                RateLimits.UNKNOWN));
        RetryPolicy policy = RetryPolicy.builder().patience(Duration.ofSeconds(60)).build();
        LlmException thrown = assertThrows(LlmException.PatienceExhausted.class,
                () -> retrying(policy, Compaction.NONE).chat(REQUEST));
        assertFalse(thrown.isRetryable(), "the patience is the user's limit: the mission ends, it does not defer");
        assertTrue(thrown.getMessage().contains("asked to wait 5 min before the next try, more than the 60 s left"
                + " of this call's patience of 60 s"), thrown.getMessage());
        assertTrue(thrown.getMessage().contains("Mission.Builder.callPatience(...)"), thrown.getMessage());
        assertEquals(1, provider.sent.size());
    }

    @Test
    void patienceIsSpentAcrossWaitsUntilTheNextWaitNoLongerFits() {
        for (int i = 0; i < 10; i++) {
            provider.then(new LlmException.RateLimited("429", Optional.of(Duration.ofSeconds(20)),
                    RateLimits.UNKNOWN));
        }
        RetryPolicy policy = RetryPolicy.builder().patience(Duration.ofSeconds(70)).build();
        LlmException thrown = assertThrows(LlmException.PatienceExhausted.class,
                () -> retrying(policy, Compaction.NONE).chat(REQUEST));
        // 20 + 20 + 20 s waited; the fourth wait of 20 s does not fit into the 10 s left
        assertEquals(4, provider.sent.size());
        assertTrue(thrown.getMessage().contains("more than the 10 s left"), thrown.getMessage());
        assertEquals(Duration.ofSeconds(60), time.elapsed());
    }

    @Test
    void aCallStopsRetryingOnceItsAttemptsHaveTakenTheTotalBound() {
        RetryPolicy policy = RetryPolicy.builder().maxAttempts(100).maxCallTime(Duration.ofMinutes(10))
                .backoff(Duration.ofMillis(1), Duration.ofMillis(1)).build();
        // every attempt hangs until its request timeout of 4 minutes fires
        provider.failAlways(new LlmException.Transient("no response from the server within the request timeout",
                0, new HttpTimeoutException("request timed out")));
        provider.taking(Duration.ofMinutes(4));
        LlmException thrown = assertThrows(LlmException.Transient.class,
                () -> retrying(policy, Compaction.NONE).chat(REQUEST));
        assertEquals(3, provider.sent.size(), "4 + 4 + 4 minutes: no attempt starts after 10 minutes of sending");
        assertTrue(thrown.getMessage().contains("did not answer: 3 attempts took 12 min in all"),
                thrown.getMessage());
        // no setting a user cannot reach: Mission.Builder has no retry policy
        assertTrue(thrown.getMessage().contains("the most one call may spend sending (10 min over all its attempts)"),
                thrown.getMessage());
        assertFalse(thrown.getMessage().contains("RetryPolicy"), thrown.getMessage());
    }

    @Test
    void backoffIsExponentialWithFullJitter() {
        RetryPolicy policy = RetryPolicy.builder().maxAttempts(8)
                .backoff(Duration.ofSeconds(1), Duration.ofSeconds(10)).build();
        for (int i = 0; i < 7; i++) {
            provider.then(new LlmException.Transient("500", 500, null));
        }
        provider.then(OK);
        retrying(policy, Compaction.NONE).chat(REQUEST);
        for (int retry = 1; retry <= 7; retry++) {
            Duration gap = Duration.between(provider.sent.get(retry - 1).at, provider.sent.get(retry).at);
            long ceiling = Math.min(10_000, 1_000L << (retry - 1));
            assertTrue(gap.toMillis() < ceiling, "retry " + retry + " waited " + gap + ", ceiling " + ceiling);
        }
    }

    @Test
    void givesUpAfterMaxAttemptsSayingHowOftenItTried() {
        for (int i = 0; i < 3; i++) {
            provider.then(new LlmException.Overloaded("overloaded", 529, Optional.empty()));
        }
        LlmException thrown = assertThrows(LlmException.Overloaded.class,
                () -> retrying(RetryPolicy.builder().maxAttempts(3).build(), Compaction.NONE).chat(REQUEST));
        assertTrue(thrown.getMessage().contains("failed 3 attempts in a row"), thrown.getMessage());
        assertTrue(thrown.getMessage().contains("check the provider's status (a call makes at most 3 attempts"),
                thrown.getMessage());
        assertFalse(thrown.getMessage().contains("RetryPolicy"), thrown.getMessage());
        assertEquals(3, provider.sent.size());
    }

    @Test
    void theRetryBudgetStopsARetryStormAndRefillsAsTheWindowSlides() {
        RetryPolicy policy = RetryPolicy.builder().maxAttempts(100).budget(0, 3, Duration.ofSeconds(60)).build();
        RetryingProvider retrying = retrying(policy, Compaction.NONE);
        provider.failAlways(new LlmException.Transient("502", 502, null));
        LlmException first = assertThrows(LlmException.class, () -> retrying.chat(REQUEST));
        assertTrue(first.getMessage().contains("retry budget"), first.getMessage());
        assertEquals(4, provider.sent.size(), "the first call and the budget's 3 retries");
        assertThrows(LlmException.class, () -> retrying.chat(REQUEST));
        assertEquals(5, provider.sent.size(), "with the budget spent, a failing call is not retried");
        time.advance(Duration.ofSeconds(61));
        assertThrows(LlmException.class, () -> retrying.chat(REQUEST));
        assertEquals(9, provider.sent.size(), "a minute later the budget allows retries again");
    }

    @Test
    void aContextLengthErrorIsCompactedAndRetriedOnce() {
        ChatRequest shorter = ChatRequest.builder().message(new Message.User("hi")).build();
        provider.then(new LlmException.ContextLengthExceeded("too long", 400)).then(OK);
        assertSame(OK, retrying(RetryPolicy.defaults(), request -> Optional.of(shorter)).chat(REQUEST));
        assertSame(shorter, provider.sent.get(1).request);
        assertEquals(List.of("compacted"), events);
    }

    @Test
    void aRequestStillTooLongAfterCompactionFails() {
        ChatRequest shorter = ChatRequest.builder().message(new Message.User("hi")).build();
        provider.then(new LlmException.ContextLengthExceeded("too long", 400))
                .then(new LlmException.ContextLengthExceeded("still too long", 400));
        LlmException thrown = assertThrows(LlmException.ContextLengthExceeded.class,
                () -> retrying(RetryPolicy.defaults(), request -> Optional.of(shorter)).chat(REQUEST));
        assertTrue(thrown.getMessage().contains("still too long for the model's context window after compaction"),
                thrown.getMessage());
        assertEquals(2, provider.sent.size());
    }

    @Test
    void aRequestThatCannotBeShortenedHereGoesToTheCallerAsTheProviderReportedIt() {
        LlmException tooLong = new LlmException.ContextLengthExceeded("too long; shorten the conversation", 400);
        provider.then(tooLong);
        LlmException thrown = assertThrows(LlmException.ContextLengthExceeded.class, () -> retrying().chat(REQUEST));
        assertSame(tooLong, thrown);
        assertEquals(List.of("gave up after 1"), events);
    }

    @Test
    void everyRetryWaitsForAPermitAgain() {
        LimiterRegistry tight = LimiterRegistry.on(time, LimiterSettings.builder().initialLimit(1)
                .limitBounds(1, 1).pauseJitter(0, Duration.ZERO).build(), 1);
        AimdLimiter single = tight.limiter(new LimiterKey("fake", "m", "key-1"));
        Permit holder = single.acquire(Priority.WORKER).join();
        // the other holder finishes 20 s from now: the retry must wait for that, not just for its backoff
        time.schedule(Duration.ofSeconds(20), () -> holder.success(RateLimits.UNKNOWN));
        provider.then(OK);
        RetryingProvider retrying = RetryingProvider.builder(provider, tight, "key-1").time(time, time).build();
        retrying.chat(REQUEST);
        assertEquals(Duration.ofSeconds(20), Duration.between(ManualTime.START, provider.sent.get(0).at));
        assertEquals(new LimiterState(1, Optional.empty(), 0, 0), single.state());
    }

    @Test
    void anInterruptedWaitStopsTheCallAndLeavesNoPermitOrWaiterBehind() throws InterruptedException {
        LimiterRegistry tight = LimiterRegistry.on(time, LimiterSettings.builder().initialLimit(1).build(), 1);
        AimdLimiter single = tight.limiter(new LimiterKey("fake", "m", "key-1"));
        CountDownLatch queued = new CountDownLatch(1);
        tight.addListener(new LimiterListener() {
            @Override
            public void onQueued(LimiterKey key, Priority priority, int waiting, boolean paused) {
                queued.countDown();
            }
        });
        Permit holder = single.acquire(Priority.WORKER).join();
        RetryingProvider retrying = RetryingProvider.builder(provider, tight, "key-1")
                .time(time, Blocker.system()).build();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread caller = Thread.ofPlatform().start(() -> {
            try {
                retrying.chat(REQUEST);
            } catch (RuntimeException e) {
                thrown.set(e);
            }
        });
        assertTrue(queued.await(30, TimeUnit.SECONDS));
        caller.interrupt();
        caller.join();
        assertInstanceOf(MissionStoppedException.class, thrown.get());
        assertEquals(0, single.state().waiting(), "the interrupted caller left the queue");
        holder.ignored();
        assertEquals(new LimiterState(1, Optional.empty(), 0, 0), single.state());
        assertTrue(provider.sent.isEmpty());
    }

    @Test
    void theCommanderPlannerAndReviewerCallWithLeadPriority() {
        assertEquals(Priority.LEAD, Priority.ofRole("Commander"));
        assertEquals(Priority.LEAD, Priority.ofRole("reviewer"));
        assertEquals(Priority.WORKER, Priority.ofRole("worker"));
        assertEquals(Priority.LEAD, Priority.ofRole("planner"));
        assertEquals(Priority.WORKER, Priority.ofRole(""));
    }

    /** A provider that answers from a queue of outcomes and records every call it was sent. */
    private final class Outcomes implements LlmProvider {
        final List<Sent> sent = new ArrayList<>();
        private final Deque<Object> outcomes = new ArrayDeque<>();
        private LlmException always;
        private Duration latency = Duration.ZERO;

        Outcomes then(Object outcome) {
            outcomes.add(outcome);
            return this;
        }

        void failAlways(LlmException failure) {
            always = failure;
        }

        /** Every call takes {@code duration} of virtual time before it answers. */
        void taking(Duration duration) {
            latency = duration;
        }

        @Override
        public String name() {
            return "fake";
        }

        @Override
        public String defaultModel() {
            return "m";
        }

        @Override
        public ChatResponse chat(ChatRequest request) {
            sent.add(new Sent(request, time.instant(), limiter.state().pausedUntil()));
            time.advance(latency);
            Object outcome = always != null ? always : outcomes.removeFirst();
            if (outcome instanceof LlmException failure) {
                throw failure;
            }
            return (ChatResponse) outcome;
        }
    }

    private record Sent(ChatRequest request, Instant at, Optional<Instant> pausedAtSend) {
    }
}
