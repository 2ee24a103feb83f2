package dev.orchestrator.core.internal.limit;

import dev.orchestrator.api.RateLimits;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;
import java.util.random.RandomGenerator;

/**
 * An additive-increase, multiplicative-decrease limit on the calls in flight to one provider, model and API key.
 *
 * <p>The limit L is a float. A success while at least L/2 calls are in flight adds 1/L (so L grows by about one
 * per round trip, and only while the limit is actually in use); a drop (429, 529/503, a missed deadline) sets L to
 * β·L, at most once per window, the larger of the recent median latency and the drop's retry-after, because the
 * calls already in flight when the first drop came back were sent under the old limit and say nothing new. A
 * retry-after, or quota headers that say the window is nearly used up, pause admissions for every caller until
 * then. Callers that cannot be admitted wait in FIFO order ({@link Priority#LEAD} before workers) and are admitted
 * the moment a permit is released, L grows past the next integer or a pause ends.
 *
 * <p>Beside the limit on calls in flight, a {@link Pacer} spaces sends so that the provider's request and token
 * rates are not overrun; a caller it holds back waits for a scheduled wake-up, not a poll. A permit's holder calls
 * {@link Permit#startSend()} just before sending: a send is never started while a known pause lasts, and
 * {@link #sends()} counts the sends that were already on their way when a pause was announced apart from any that
 * started after it (a bug, so 0).
 *
 * <p>Where processes on several machines share the key's quota, {@link #lease} caps the pacer at this process's
 * share, and {@link #demand()} says what to ask for at the next renewal.
 *
 * <p>Nothing here blocks: {@link #acquire} returns a future, so the same class serves blocking callers and the
 * discrete-event simulation. Thread-safe.
 */
public final class AimdLimiter {

    private static final long NOT_PAUSED = Long.MIN_VALUE;

    private final LimiterKey key;
    private final LimiterSettings settings;
    private final Scheduler scheduler;
    private final LimiterListener listener;

    private final ReentrantLock lock = new ReentrantLock();
    // everything below is guarded by lock
    private final RandomGenerator random;
    private final Deque<Waiter> leadQueue = new ArrayDeque<>();
    private final Deque<Waiter> workerQueue = new ArrayDeque<>();
    private final AimdLimit limit;
    private final QuotaWatch quota;
    private final Pacer pacer = new Pacer();
    private int inFlight;
    private int workersInFlight;
    private long pausedUntil = NOT_PAUSED;
    private PauseCause pauseCause = PauseCause.RETRY_AFTER;
    // the number of sends started when the last new pause was announced: later sends knew of it
    private long pauseAnnouncedAfterSend = -1;
    private Scheduler.Cancellable pauseTimer;
    private long paceWakeAt = NOT_PAUSED;
    private Scheduler.Cancellable paceTimer;
    private long sendsStarted;
    private long sendsHeldBack;
    private long sendsInFlightAtPause;
    private long sendsStartedInKnownPause;
    private int sendsOut;
    // the pacer's learned rates as last told to the listener, so that it hears of each change once
    private PacedRates toldRates = PacedRates.UNKNOWN;
    // the time calls spent in flight or waiting since demand() was last asked (at callersSince), what a lease splits
    // by: each call adds its end and takes off its start, relative to callersSince, so no count is read per call
    private long callerNanos;
    private long callersSince;
    // what to tell listeners and callers once the lock is released; empty on the common path, so nothing is allocated
    private final List<Runnable> effects = new ArrayList<>();
    // the waits among them, told first: a listener may take its time over the others (a mission waits for its
    // journal to commit each), and a wait told only after its end looks like no wait at all
    private final List<Runnable> waitReports = new ArrayList<>();

    /**
     * A limiter for {@code key}. {@code random} draws the pauses' jitter; it is only used under the limiter's lock.
     */
    public AimdLimiter(LimiterKey key, LimiterSettings settings, Scheduler scheduler, LimiterListener listener,
            RandomGenerator random) {
        this.key = Objects.requireNonNull(key, "key");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.random = Objects.requireNonNull(random, "random");
        this.limit = new AimdLimit(settings);
        this.quota = new QuotaWatch(settings);
        this.callersSince = scheduler.epochNanos();
    }

    /** What this limiter is for. */
    public LimiterKey key() {
        return key;
    }

    /** A permit as soon as one is free, waiting as long as it takes. Cancel the future to stop waiting. */
    public CompletableFuture<Permit> acquire(Priority priority) {
        return enqueue(priority, 0, Optional.empty());
    }

    /**
     * A permit as soon as one is free; the future fails with {@link AdmissionTimeoutException} if none is within
     * {@code timeout}. Cancel the future to stop waiting; no permit is lost either way.
     */
    public CompletableFuture<Permit> acquire(Priority priority, Duration timeout) {
        return enqueue(priority, 0, Optional.of(timeout));
    }

    /**
     * As {@link #acquire(Priority, Duration)} for a call estimated to use {@code tokenEstimate} tokens, which the
     * pacer counts against the provider's token rate until the response says how many it used.
     */
    public CompletableFuture<Permit> acquire(Priority priority, long tokenEstimate, Duration timeout) {
        return enqueue(priority, Math.max(0, tokenEstimate), Optional.of(timeout));
    }

    /** Whether the pacer holds the queue back and a wake-up for it is scheduled. */
    boolean pacing() {
        lock.lock();
        try {
            return paceTimer != null;
        } finally {
            lock.unlock();
        }
    }

    /** What was sent, and when relative to the pauses the provider announced. */
    public SendCounts sends() {
        lock.lock();
        try {
            return new SendCounts(sendsStarted, sendsHeldBack, sendsInFlightAtPause, sendsStartedInKnownPause);
        } finally {
            lock.unlock();
        }
    }

    /** The limit, pause and counts now. */
    public LimiterState state() {
        lock.lock();
        try {
            long now = now();
            Optional<Instant> pause = now < pausedUntil ? Optional.of(scheduler.toWallClock(pausedUntil))
                    : Optional.empty();
            return new LimiterState(limit.value(), pause, inFlight, leadQueue.size() + workerQueue.size());
        } finally {
            lock.unlock();
        }
    }

    /** The rates the pacer learned from the provider's refusals and headers (see {@link PacedRates}). */
    public PacedRates pacedRates() {
        lock.lock();
        try {
            return pacer.learned();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The calls that wanted this key since the last time this was asked (the mean number in flight or waiting),
     * and its whole quota as the headers showed it: what a worker reports when it renews its lease of a quota it
     * shares with other machines. Starts a new span of counting.
     */
    public QuotaDemand demand() {
        lock.lock();
        try {
            long now = now();
            long span = now - callersSince;
            int callers = inFlight + leadQueue.size() + workerQueue.size();
            // the calls still under way end now, for this span; the next span starts them again
            double mean = span > 0 ? (callerNanos + (double) callers * span) / span : callers;
            callerNanos = 0;
            callersSince = now;
            return new QuotaDemand(mean, pacer.quota());
        } finally {
            lock.unlock();
        }
    }

    /** The key's whole limits per minute as the headers last showed them, 0 for a bucket they said nothing of. */
    public PacedRates quota() {
        lock.lock();
        try {
            return pacer.quota();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Paces for at most {@code share} of a quota this process shares with others (the lower of it and what the
     * pacer learned); {@link PacedRates#UNKNOWN} lifts the cap. Callers it held back go at once if the new share
     * lets them.
     */
    public void lease(PacedRates share) {
        Objects.requireNonNull(share, "share");
        List<Runnable> after;
        lock.lock();
        try {
            long now = now();
            pacer.cap(now, share);
            drain(now);
        } finally {
            after = takeEffects();
            lock.unlock();
        }
        after.forEach(Runnable::run);
    }

    /**
     * Continues at journaled pacer rates, for each rate the pacer has not learned itself (from answers in this JVM):
     * sends are spaced for them from the first, instead of going out at full speed into the rate limits a previous
     * run already found.
     */
    public void restore(PacedRates rates) {
        Objects.requireNonNull(rates, "rates");
        lock.lock();
        try {
            pacer.restore(now(), rates);
            // what was journaled need not be journaled again
            toldRates = pacer.learned();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Continues from a journaled state: takes its limit (kept within the bounds) and its pause if that has not
     * ended yet.
     */
    public void restore(LimiterState state) {
        List<Runnable> after;
        lock.lock();
        try {
            long now = now();
            double before = limit.value();
            limit.restore(state.limit());
            reportLimitChange(before);
            state.pausedUntil().map(scheduler::fromWallClock).filter(until -> until > now)
                    .ifPresent(until -> pauseUntil(now, until, PauseCause.RESTORED));
            drain(now);
        } finally {
            after = takeEffects();
            lock.unlock();
        }
        after.forEach(Runnable::run);
    }

    private CompletableFuture<Permit> enqueue(Priority priority, long tokens, Optional<Duration> timeout) {
        Objects.requireNonNull(priority, "priority");
        List<Runnable> after;
        Waiter waiter;
        lock.lock();
        try {
            long now = now();
            callerNanos -= now - callersSince;
            boolean paused = now < pausedUntil;
            // a newcomer must not overtake a caller the pacer holds back, so it checks the queues it would join
            boolean nobodyAhead = leadQueue.isEmpty() && (priority == Priority.LEAD || workerQueue.isEmpty());
            long paceWait = pacer.waitNanos(now, tokens);
            if (!paused && nobodyAhead && hasRoomFor(priority) && paceWait == 0) {
                return CompletableFuture.completedFuture(admit(priority, tokens, now)); // nothing to cancel
            }
            waiter = new Waiter(priority, tokens, now);
            queue(priority).add(waiter);
            timeout.ifPresent(t -> waiter.timeout = scheduler.schedule(t, () -> expire(waiter, t)));
            int waiting = leadQueue.size() + workerQueue.size();
            effects.add(() -> listener.onQueued(key, priority, waiting, paused));
            if (paused) {
                reportWaiting(pauseCause, pausedUntil);
            } else if (paceWait > 0 && nobodyAhead && hasRoomFor(priority)) {
                schedulePaceWake(now, paceWait, pacer.waitCause(now, tokens));
            }
        } finally {
            after = takeEffects();
            lock.unlock();
        }
        after.forEach(Runnable::run);
        return waiter;
    }

    void succeeded(Permit permit, RateLimits rateLimits, long tokensUsed) {
        List<Runnable> after;
        lock.lock();
        try {
            permit.markReleased();
            long now = now();
            double before = limit.value();
            limit.onSuccess(now - permit.grantedAtNanos(), inFlight);
            reportLimitChange(before);
            free(permit, now);
            checkSendAgainstPause(permit);
            pacer.onAnswered(now, rateLimits, tokensUsed < 0 ? 0 : tokensUsed - permit.tokens());
            reportRatesChange();
            preempt(rateLimits, now);
            drain(now);
        } finally {
            after = takeEffects();
            lock.unlock();
        }
        after.forEach(Runnable::run);
    }

    void dropped(Permit permit, DropCause cause, Optional<Duration> retryAfter, RateLimits rateLimits) {
        List<Runnable> after;
        lock.lock();
        try {
            permit.markReleased();
            long now = now();
            free(permit, now);
            checkSendAgainstPause(permit);
            long retryAfterNanos = retryAfter.map(Duration::toNanos).filter(n -> n > 0).orElse(0L);
            if (cause == DropCause.RATE_LIMITED) {
                pacer.onRefused(now, rateLimits, retryAfterNanos);
                reportRatesChange();
            }
            double before = limit.value();
            boolean cut = limit.onDrop(now, retryAfterNanos);
            reportLimitChange(before);
            effects.add(() -> listener.onDropped(key, cause, retryAfter, cut));
            if (retryAfterNanos > 0) {
                pause(now, retryAfterNanos, PauseCause.RETRY_AFTER);
            }
            preempt(rateLimits, now);
            drain(now);
        } finally {
            after = takeEffects();
            lock.unlock();
        }
        after.forEach(Runnable::run);
    }

    void ignored(Permit permit) {
        List<Runnable> after;
        lock.lock();
        try {
            permit.markReleased();
            long now = now();
            free(permit, now);
            if (permit.sendStartedAt() == Permit.NOT_SENT) {
                // never sent: its share of the provider's rate is still there for the next caller
                pacer.giveBack(now, permit.tokens());
            } else {
                checkSendAgainstPause(permit);
            }
            drain(now);
        } finally {
            after = takeEffects();
            lock.unlock();
        }
        after.forEach(Runnable::run);
    }

    private void preempt(RateLimits rateLimits, long now) {
        long pause = quota.pauseNanos(rateLimits);
        if (pause > 0) {
            pause(now, pause, PauseCause.QUOTA_NEARLY_USED);
        }
    }

    private void pause(long now, long durationNanos, PauseCause cause) {
        double jitterSpan = Math.min(settings.maxPauseJitter().toNanos(), settings.pauseJitter() * durationNanos);
        pauseUntil(now, now + durationNanos + (long) (random.nextDouble() * jitterSpan), cause);
    }

    private void pauseUntil(long now, long until, PauseCause cause) {
        if (until <= pausedUntil) {
            return;
        }
        if (now >= pausedUntil) {
            // a new pause, not a longer one: the sends now in flight went out before anyone knew of it
            pauseAnnouncedAfterSend = sendsStarted;
            sendsInFlightAtPause += sendsOut;
        }
        pausedUntil = until;
        pauseCause = cause;
        if (pauseTimer != null) {
            pauseTimer.cancel();
        }
        pauseTimer = scheduler.schedule(Duration.ofNanos(until - now), this::pauseEnded);
        waitReports.add(() -> listener.onPaused(key, scheduler.toWallClock(until), cause));
        reportWaiting(cause, until);
    }

    /** Tells the listener that the callers now queued wait until {@code until} for {@code cause}. */
    private void reportWaiting(PauseCause cause, long until) {
        int queued = leadQueue.size() + workerQueue.size();
        if (queued > 0) {
            waitReports.add(() -> listener.onWaiting(key, cause, scheduler.toWallClock(until), queued));
        }
    }

    /** Wakes the queue when the pacer will let its head through; one timer serves every waiter. */
    private void schedulePaceWake(long now, long waitNanos, PauseCause cause) {
        long at = now + waitNanos;
        if (paceTimer != null && paceWakeAt <= at && paceWakeAt > now) {
            return;
        }
        boolean newWait = paceTimer == null;
        if (paceTimer != null) {
            paceTimer.cancel();
        }
        paceWakeAt = at;
        paceTimer = scheduler.schedule(Duration.ofNanos(waitNanos), this::paceWoke);
        // a wake-up moved a little (the rate was corrected) is the same wait: report it once
        if (newWait) {
            reportWaiting(cause, at);
        }
    }

    private void paceWoke() {
        List<Runnable> after;
        lock.lock();
        try {
            paceTimer = null;
            drain(now());
        } finally {
            after = takeEffects();
            lock.unlock();
        }
        after.forEach(Runnable::run);
    }

    /**
     * Called under the lock when the caller is about to send: false, and the permit must be given back unused,
     * if a pause is known now; the caller then waits for it to end like any other.
     */
    boolean startSend(Permit permit) {
        lock.lock();
        try {
            // When no pause ends after the grant, none is known now and the clock (a quarter of an uncontended
            // call's cost) is not read: the grant's time stands in for the send's. Its one use, checkSendAgainstPause,
            // compares it with a pause announced before this send, and that pause ended before the grant.
            long now = pausedUntil <= permit.grantedAtNanos() ? permit.grantedAtNanos() : now();
            if (now < pausedUntil) {
                sendsHeldBack++;
                return false;
            }
            sendsStarted++;
            permit.markSent(now, sendsStarted);
            sendsOut++;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Counts a send that started inside a pause it could have known of: the check {@link #sends()} reports. */
    private void checkSendAgainstPause(Permit permit) {
        long started = permit.sendStartedAt();
        if (started == Permit.NOT_SENT) {
            return;
        }
        sendsOut--;
        if (pauseAnnouncedAfterSend >= 0 && permit.sendNumber() > pauseAnnouncedAfterSend
                && started < pausedUntil) {
            sendsStartedInKnownPause++;
        }
    }

    private void pauseEnded() {
        List<Runnable> after;
        lock.lock();
        try {
            long now = now();
            if (now < pausedUntil) {
                // the clock and the timer disagree by a little: wait out the rest
                pauseTimer = scheduler.schedule(Duration.ofNanos(pausedUntil - now), this::pauseEnded);
                return;
            }
            pauseTimer = null;
            drain(now);
        } finally {
            after = takeEffects();
            lock.unlock();
        }
        after.forEach(Runnable::run);
    }

    private void expire(Waiter waiter, Duration timeout) {
        LimiterState state = state();
        if (remove(waiter)) {
            waiter.completeExceptionally(new AdmissionTimeoutException("no permit for " + key + " within " + timeout
                    + " (limit " + String.format("%.1f", state.limit()) + ", " + state.inFlight() + " in flight, "
                    + state.waiting() + " waiting" + state.pausedUntil().map(p -> ", paused until " + p).orElse("")
                    + "): the provider serves fewer calls than are asked of it; lower the number of parallel"
                    + " workers or wait longer"));
            listener.onAbandoned(key, waiter.priority, Duration.ofNanos(now() - waiter.since));
        }
    }

    /** Takes a waiter out of its queue; false if it had already been admitted or removed. */
    private boolean remove(Waiter waiter) {
        lock.lock();
        try {
            boolean removed = queue(waiter.priority).remove(waiter);
            if (removed) {
                callerNanos += now() - callersSince;
                if (waiter.timeout != null) {
                    waiter.timeout.cancel();
                }
            }
            return removed;
        } finally {
            lock.unlock();
        }
    }

    private void drain(long now) {
        if (now < pausedUntil) {
            return;
        }
        while (true) {
            Deque<Waiter> queue;
            if (!leadQueue.isEmpty()) {
                // if a lead call has no room, no worker has either: workers' room is a part of the lead's
                queue = hasRoomFor(Priority.LEAD) ? leadQueue : null;
            } else {
                queue = !workerQueue.isEmpty() && hasRoomFor(Priority.WORKER) ? workerQueue : null;
            }
            if (queue == null) {
                return;
            }
            long paceWait = pacer.waitNanos(now, queue.peek().tokens);
            if (paceWait > 0) {
                schedulePaceWake(now, paceWait, pacer.waitCause(now, queue.peek().tokens));
                return;
            }
            grant(queue.poll(), now);
        }
    }

    private void grant(Waiter waiter, long now) {
        Permit permit = admit(waiter.priority, waiter.tokens, now);
        if (waiter.timeout != null) {
            waiter.timeout.cancel();
        }
        effects.add(() -> {
            // the caller may have cancelled between being admitted and hearing of it: then the permit goes back
            if (waiter.complete(permit)) {
                listener.onAdmittedAfterWait(key, waiter.priority, Duration.ofNanos(now - waiter.since));
            } else {
                permit.ignored();
            }
        });
    }

    private boolean hasRoomFor(Priority priority) {
        double value = limit.value();
        if (inFlight >= (int) value) {
            return false;
        }
        return priority == Priority.LEAD
                || workersInFlight < Math.max(1, (int) (value * (1 - settings.leadShare())));
    }

    private Permit admit(Priority priority, long tokens, long now) {
        inFlight++;
        if (priority == Priority.WORKER) {
            workersInFlight++;
        }
        pacer.take(now, tokens);
        return new Permit(this, priority, tokens, now);
    }

    private void free(Permit permit, long now) {
        callerNanos += now - callersSince;
        inFlight--;
        if (permit.priority() == Priority.WORKER) {
            workersInFlight--;
        }
    }

    /** The effects queued under the lock, the waits first, to run once it is released. */
    private List<Runnable> takeEffects() {
        if (effects.isEmpty() && waitReports.isEmpty()) {
            return List.of();
        }
        List<Runnable> taken = new ArrayList<>(waitReports.size() + effects.size());
        taken.addAll(waitReports);
        taken.addAll(effects);
        waitReports.clear();
        effects.clear();
        return taken;
    }

    private void reportLimitChange(double before) {
        double now = limit.value();
        // report the admitted count changing, not every 1/L step of a float
        if ((int) before != (int) now) {
            effects.add(() -> listener.onLimitChanged(key, before, now));
        }
    }

    private void reportRatesChange() {
        PacedRates rates = pacer.learned();
        // the same instance while nothing new was learned, as on every call to a provider without rate limits
        if (rates != toldRates && rates.differsMuchFrom(toldRates)) {
            toldRates = rates;
            effects.add(() -> listener.onRatesLearned(key, rates));
        }
    }

    private Deque<Waiter> queue(Priority priority) {
        return priority == Priority.LEAD ? leadQueue : workerQueue;
    }

    private long now() {
        return scheduler.epochNanos();
    }

    /** A caller's place in the queue, and the future it is told through. */
    private final class Waiter extends CompletableFuture<Permit> {
        final Priority priority;
        final long tokens;
        final long since;
        Scheduler.Cancellable timeout;

        Waiter(Priority priority, long tokens, long since) {
            this.priority = priority;
            this.tokens = tokens;
            this.since = since;
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            if (remove(this)) {
                listener.onAbandoned(key, priority, Duration.ofNanos(now() - since));
            }
            return super.cancel(mayInterruptIfRunning);
        }
    }
}
