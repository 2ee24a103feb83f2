package dev.orchestrator.core.internal.limit;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * One {@link AimdLimiter} per {@link LimiterKey}, so that every mission that uses the same provider, model and
 * API key shares one limit, as it shares one quota at the provider. Missions come and go while the limiters stay,
 * so listeners are added and removed here rather than given to each limiter.
 */
public final class LimiterRegistry implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(LimiterRegistry.class.getName());

    private final LimiterSettings settings;
    private final Scheduler scheduler;
    private final SystemScheduler ownedScheduler;
    private final SplittableRandom seeds;
    private final ConcurrentMap<LimiterKey, AimdLimiter> limiters = new ConcurrentHashMap<>();
    private final List<LimiterListener> listeners = new CopyOnWriteArrayList<>();
    private final LimiterListener fanOut = new FanOut();

    private LimiterRegistry(LimiterSettings settings, Scheduler scheduler, SystemScheduler ownedScheduler,
            long seed) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.ownedScheduler = ownedScheduler;
        this.seeds = new SplittableRandom(seed);
    }

    /**
     * The registry every mission in this JVM shares. Its timer thread is a daemon that lives as long as the JVM:
     * limiters outlive missions on purpose, so that the next mission starts from the limit the last one learned.
     */
    public static LimiterRegistry shared() {
        return Shared.INSTANCE;
    }

    /** A registry that runs on its own real-time timer thread, which {@link #close()} stops. */
    public static LimiterRegistry create(LimiterSettings settings) {
        SystemScheduler scheduler = new SystemScheduler("orchestrator-limiter-timer");
        return new LimiterRegistry(settings, scheduler, scheduler, System.nanoTime());
    }

    /**
     * A registry on {@code scheduler}, which the caller owns; {@code seed} makes the pauses' jitter repeatable
     * (tests and the simulation use this).
     */
    public static LimiterRegistry on(Scheduler scheduler, LimiterSettings settings, long seed) {
        return new LimiterRegistry(settings, scheduler, null, seed);
    }

    /** The limiter for {@code key}, made on first use. */
    public AimdLimiter limiter(LimiterKey key) {
        return limiters.computeIfAbsent(key, k -> new AimdLimiter(k, settings, scheduler, fanOut,
                new SplittableRandom(nextSeed())));
    }

    /** {@return the limiters made so far} */
    public List<AimdLimiter> limiters() {
        return List.copyOf(limiters.values());
    }

    /** The time the limiters live on; anything that waits alongside them (a retry's backoff) must use it too. */
    public Scheduler scheduler() {
        return scheduler;
    }

    /** Reports every limiter's events to {@code listener} until the returned handle is closed. */
    public AutoCloseable addListener(LimiterListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
        return () -> listeners.remove(listener);
    }

    /** Stops the timer thread if this registry made it. */
    @Override
    public void close() {
        if (ownedScheduler != null) {
            ownedScheduler.close();
        }
    }

    private long nextSeed() {
        synchronized (seeds) {
            return seeds.nextLong();
        }
    }

    private static final class Shared {
        static final LimiterRegistry INSTANCE = create(LimiterSettings.defaults());
    }

    /**
     * Tells every listener, each on its own: a listener that throws (a mission's journal closed as its last task
     * ended, while another mission's call on the same limiter reports an event) must neither stop the others nor
     * reach the limiter, whose caller would be left holding a released permit or never be woken.
     */
    private final class FanOut implements LimiterListener {
        private void each(Consumer<LimiterListener> event) {
            for (LimiterListener listener : listeners) {
                try {
                    event.accept(listener);
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "a limiter listener failed; the limiter goes on", e);
                }
            }
        }

        @Override
        public void onQueued(LimiterKey key, Priority priority, int waiting, boolean paused) {
            each(l -> l.onQueued(key, priority, waiting, paused));
        }

        @Override
        public void onAdmittedAfterWait(LimiterKey key, Priority priority, Duration waited) {
            each(l -> l.onAdmittedAfterWait(key, priority, waited));
        }

        @Override
        public void onAbandoned(LimiterKey key, Priority priority, Duration waited) {
            each(l -> l.onAbandoned(key, priority, waited));
        }

        @Override
        public void onDropped(LimiterKey key, DropCause cause, Optional<Duration> retryAfter, boolean cut) {
            each(l -> l.onDropped(key, cause, retryAfter, cut));
        }

        @Override
        public void onLimitChanged(LimiterKey key, double oldLimit, double newLimit) {
            each(l -> l.onLimitChanged(key, oldLimit, newLimit));
        }

        @Override
        public void onRatesLearned(LimiterKey key, PacedRates rates) {
            each(l -> l.onRatesLearned(key, rates));
        }

        @Override
        public void onPaused(LimiterKey key, Instant until, PauseCause cause) {
            each(l -> l.onPaused(key, until, cause));
        }

        @Override
        public void onWaiting(LimiterKey key, PauseCause cause, Instant until, int queued) {
            each(l -> l.onWaiting(key, cause, until, queued));
        }
    }
}
