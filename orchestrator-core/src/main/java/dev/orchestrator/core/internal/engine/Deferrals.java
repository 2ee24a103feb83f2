package dev.orchestrator.core.internal.engine;

import dev.orchestrator.api.LlmException;
import dev.orchestrator.core.internal.log.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * The tasks put back after a passing failure, and when each may go again. A task that keeps failing waits twice
 * as long each time, from {@link #FIRST} up to {@link #LONGEST}, or as long as the provider asked if that is
 * longer, so a provider that is down is asked again at a bounded rate rather than in a spin. But not for ever: a
 * task whose failures in a row would span more than the call patience gives up, so that a provider that is down,
 * or a URL that reaches something other than a model, ends the mission with the last error instead of keeping it
 * waiting with nobody told. Used by the Commander's thread only.
 */
final class Deferrals {

    /** The wait after a task's first passing failure in a row. */
    static final Duration FIRST = Duration.ofMillis(250);
    /** The longest wait the doubling reaches; a provider may ask for a longer one. */
    static final Duration LONGEST = Duration.ofMinutes(1);

    private final LongSupplier nanoClock;
    private final Duration patience;
    private final Map<String, Spell> spells = new HashMap<>();
    private final Map<String, Long> dueAt = new HashMap<>();

    /** A task's failures in a row: how many, and when the first of them was deferred. */
    private record Spell(int failures, long sinceNanos) {
    }

    /**
     * Deferrals whose waits are measured on {@code nanoClock}, such as {@code System::nanoTime}, and whose
     * failures in a row may span at most {@code patience} (the mission's call patience).
     */
    Deferrals(LongSupplier nanoClock, Duration patience) {
        this.nanoClock = nanoClock;
        this.patience = patience;
    }

    /**
     * How long task {@code key} waits after it failed with {@code failure}, counting the failure in a row.
     *
     * @throws LlmException.PatienceExhausted if the wait would take the task's failures in a row past the patience;
     *     the task is then no longer counted, and its message says what to do
     */
    Duration delay(String key, LlmException failure) {
        long now = nanoClock.getAsLong();
        Spell spell = spells.merge(key, new Spell(1, now), (old, first) -> new Spell(old.failures() + 1,
                old.sinceNanos()));
        Duration doubled = FIRST.multipliedBy(1L << Math.min(spell.failures() - 1, 20));
        Duration backoff = doubled.compareTo(LONGEST) > 0 ? LONGEST : doubled;
        Duration asked = serverWait(failure).orElse(Duration.ZERO);
        Duration wait = asked.compareTo(backoff) > 0 ? asked : backoff;
        Duration failing = Duration.ofNanos(now - spell.sinceNanos());
        if (failing.plus(wait).compareTo(patience) > 0) {
            spells.remove(key);
            String failed = spell.failures() == 1 ? "its call failed" : "its calls failed " + spell.failures()
                    + " times in a row" + (failing.toSeconds() > 0 ? " over " + Durations.words(failing) : "");
            LlmException exhausted = new LlmException.PatienceExhausted(failed + ", and a try "
                    + Durations.words(wait) + " later would go past the call patience of " + Durations.words(patience)
                    + "; the last failure: " + failure.getMessage()
                    + "; check that the provider is up and its URL and model are right,"
                    + " then run the mission again: it resumes from its journal (or raise Mission.Builder"
                    + ".callPatience(...))", failure.status());
            exhausted.addSuppressed(failure);
            throw exhausted;
        }
        return wait;
    }

    /** Task {@code key} answered, so its next failure counts from one again. */
    void succeeded(String key) {
        spells.remove(key);
    }

    /** Holds todo {@code todoId} back for {@code delay}. */
    void holdBack(String todoId, Duration delay) {
        dueAt.put(todoId, nanoClock.getAsLong() + delay.toNanos());
    }

    /** Whether todo {@code todoId} is held back. */
    boolean isHeldBack(String todoId) {
        return dueAt.containsKey(todoId);
    }

    /** Whether any todo is held back. */
    boolean any() {
        return !dueAt.isEmpty();
    }

    /** The todos whose wait is over, released. */
    List<String> releaseDue() {
        // asked at every turn of the Commander's loop, which a fan-out's finishes turn thousands of times
        if (dueAt.isEmpty()) {
            return List.of();
        }
        long now = nanoClock.getAsLong();
        List<String> due = new ArrayList<>();
        dueAt.entrySet().removeIf(entry -> {
            boolean over = entry.getValue() - now <= 0;
            if (over) {
                due.add(entry.getKey());
            }
            return over;
        });
        return due;
    }

    /** The time until the next held-back todo is due, if any is held back. */
    Optional<Duration> untilNext() {
        if (dueAt.isEmpty()) {
            return Optional.empty();
        }
        long now = nanoClock.getAsLong();
        return dueAt.values().stream().mapToLong(due -> Math.max(0, due - now)).min().stream().boxed()
                .findFirst().map(Duration::ofNanos);
    }

    private static Optional<Duration> serverWait(LlmException failure) {
        return switch (failure) {
            case LlmException.RateLimited e -> e.retryAfter();
            case LlmException.Overloaded e -> e.retryAfter();
            default -> Optional.empty();
        };
    }
}
