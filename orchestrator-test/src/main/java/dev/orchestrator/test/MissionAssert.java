package dev.orchestrator.test;

import dev.orchestrator.api.MissionEvent;
import dev.orchestrator.api.MissionResult;
import dev.orchestrator.api.TodoStatus;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Fluent checks of how a mission ended and what it did, each failing with an {@link AssertionError} that says what
 * was found:
 *
 * <pre>{@code
 * MissionAssert.assertThat(result, recorder).completed().todosDone(3).madeCalls(8).madeCalls("worker", 6);
 * }</pre>
 *
 * Checks of what the mission did ({@code madeCalls}, {@code ranTool}) read the events of a {@link MissionRecorder}
 * that was the mission's listener; those of the result alone need none.
 */
public final class MissionAssert {

    private final MissionResult result;
    private final Optional<MissionRecorder> recorder;

    private MissionAssert(MissionResult result, Optional<MissionRecorder> recorder) {
        this.result = result;
        this.recorder = recorder;
    }

    /**
     * {@return checks of the result alone}
     *
     * @param result what {@code Mission.run()} returned
     */
    public static MissionAssert assertThat(MissionResult result) {
        return new MissionAssert(result, Optional.empty());
    }

    /**
     * {@return checks of the result and of the events the recorder saw}
     *
     * @param result what {@code Mission.run()} returned
     * @param recorder the recorder that was the mission's listener
     */
    public static MissionAssert assertThat(MissionResult result, MissionRecorder recorder) {
        return new MissionAssert(result, Optional.of(recorder));
    }

    /** {@return this, after checking that the mission completed} */
    public MissionAssert completed() {
        return endedWith(MissionResult.Outcome.COMPLETED);
    }

    /**
     * {@return this, after checking how the mission ended}
     *
     * @param outcome the expected outcome
     */
    public MissionAssert endedWith(MissionResult.Outcome outcome) {
        check(result.outcome() == outcome, "expected the mission to end " + outcome + " but it ended "
                + result.outcome() + ": " + result.reason());
        return this;
    }

    /**
     * {@return this, after checking how many todos are done}
     *
     * @param count the expected number of todos in state {@code DONE}
     */
    public MissionAssert todosDone(int count) {
        long done = result.todos().stream().filter(t -> t.state() == TodoStatus.State.DONE).count();
        check(done == count, "expected " + count + " todos done but " + done + " are: " + result.todos());
        return this;
    }

    /** {@return this, after checking that the last review left no issue open} */
    public MissionAssert noOpenIssues() {
        check(result.openIssues().isEmpty(), "expected no open issue but found " + result.openIssues());
        return this;
    }

    /**
     * {@return this, after checking the tokens used}
     *
     * @param tokens the most input and output tokens the mission may have used in all
     */
    public MissionAssert usedAtMostTokens(long tokens) {
        check(result.usage().totalTokens() <= tokens, "expected at most " + tokens + " tokens but the mission used "
                + result.usage().totalTokens());
        return this;
    }

    /**
     * {@return this, after checking how many model calls completed in this run (a call answered from the journal
     * of an earlier run is not reported again)}
     *
     * @param count the expected number
     */
    public MissionAssert madeCalls(int count) {
        return countOf("model calls", MissionEvent.LlmCallCompleted.class, call -> true, count);
    }

    /**
     * {@return this, after checking how many model calls the agents of one role made}
     *
     * @param role such as {@code worker} or {@code planner}
     * @param count the expected number
     */
    public MissionAssert madeCalls(String role, int count) {
        return countOf("model calls by " + role, MissionEvent.LlmCallCompleted.class,
                call -> call.role().equals(role), count);
    }

    /**
     * {@return this, after checking that tool {@code tool} completed at least once}
     *
     * @param tool the tool's name
     */
    public MissionAssert ranTool(String tool) {
        long runs = events().events(MissionEvent.ToolCallCompleted.class).stream()
                .filter(call -> call.tool().equals(tool)).count();
        check(runs > 0, "expected a call of tool " + tool + " but there was none");
        return this;
    }

    private <T extends MissionEvent> MissionAssert countOf(String what, Class<T> type, Predicate<T> which,
            int count) {
        long found = events().events(type).stream().filter(which).count();
        check(found == count, "expected " + count + " " + what + " but there were " + found);
        return this;
    }

    private MissionRecorder events() {
        return recorder.orElseThrow(() -> new IllegalStateException("this check reads the mission's events: give "
                + "the mission a MissionRecorder as listener and call MissionAssert.assertThat(result, recorder)"));
    }

    private static void check(boolean holds, String message) {
        if (!holds) {
            throw new AssertionError(message);
        }
    }
}
