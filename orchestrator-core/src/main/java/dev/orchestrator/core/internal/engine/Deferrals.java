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
 * The tasks put back after a passing failure, and when each may go again: each task's failures in a row are a
 * {@link FailingSpell}, which says how long it waits and when it gives up. Used by the Commander's thread only.
 */
final class Deferrals {

    /** What the message of a task that gave up says to do once the provider is right again. */
    private static final String AFTERWARDS = "run the mission again: it resumes from its journal (or raise"
            + " Mission.Builder.callPatience(...))";

    private final LongSupplier nanoClock;
    private final Duration patience;
    private final Map<String, FailingSpell> spells = new HashMap<>();
    private final Map<String, Long> dueAt = new HashMap<>();

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
        return spells.computeIfAbsent(key, k -> new FailingSpell(patience, AFTERWARDS))
                .failed(nanoClock.getAsLong(), failure);
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
}
