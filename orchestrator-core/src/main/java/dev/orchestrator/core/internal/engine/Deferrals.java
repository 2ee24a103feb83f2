package dev.orchestrator.core.internal.engine;

import dev.orchestrator.api.LlmException;
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
 * longer, so a provider that is down is asked again at a bounded rate rather than in a spin. Used by the
 * Commander's thread only.
 */
final class Deferrals {

    /** The wait after a task's first passing failure in a row. */
    static final Duration FIRST = Duration.ofMillis(250);
    /** The longest wait the doubling reaches; a provider may ask for a longer one. */
    static final Duration LONGEST = Duration.ofMinutes(1);

    private final LongSupplier nanoClock;
    private final Map<String, Integer> failuresInARow = new HashMap<>();
    private final Map<String, Long> dueAt = new HashMap<>();

    /** Deferrals whose waits are measured on {@code nanoClock}, such as {@code System::nanoTime}. */
    Deferrals(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
    }

    /** How long task {@code key} waits after it failed with {@code failure}, counting the failure in a row. */
    Duration delay(String key, LlmException failure) {
        int failures = failuresInARow.merge(key, 1, Integer::sum);
        Duration doubled = FIRST.multipliedBy(1L << Math.min(failures - 1, 20));
        Duration backoff = doubled.compareTo(LONGEST) > 0 ? LONGEST : doubled;
        Duration asked = serverWait(failure).orElse(Duration.ZERO);
        return asked.compareTo(backoff) > 0 ? asked : backoff;
    }

    /** Task {@code key} answered, so its next failure counts from one again. */
    void succeeded(String key) {
        failuresInARow.remove(key);
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
