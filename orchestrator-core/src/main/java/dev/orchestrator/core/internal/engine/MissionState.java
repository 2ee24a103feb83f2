package dev.orchestrator.core.internal.engine;

import dev.orchestrator.api.Issue;
import dev.orchestrator.api.MissionEvent;
import dev.orchestrator.api.MissionEvent.AgentNote;
import dev.orchestrator.api.MissionEvent.BriefWritten;
import dev.orchestrator.api.MissionEvent.CallRetried;
import dev.orchestrator.api.MissionEvent.CallsPaused;
import dev.orchestrator.api.MissionEvent.CallWaited;
import dev.orchestrator.api.MissionEvent.ConcurrencyChanged;
import dev.orchestrator.api.MissionEvent.LlmCallCompleted;
import dev.orchestrator.api.MissionEvent.LlmCallFailed;
import dev.orchestrator.api.MissionEvent.MemoryNoted;
import dev.orchestrator.api.MissionEvent.MissionFinished;
import dev.orchestrator.api.MissionEvent.MissionReopened;
import dev.orchestrator.api.MissionEvent.MissionResumed;
import dev.orchestrator.api.MissionEvent.MissionStarted;
import dev.orchestrator.api.MissionEvent.ReviewCompleted;
import dev.orchestrator.api.MissionEvent.TaskDeferred;
import dev.orchestrator.api.MissionEvent.TaskDispatched;
import dev.orchestrator.api.MissionEvent.TaskFinished;
import dev.orchestrator.api.MissionEvent.TasksDispatched;
import dev.orchestrator.api.MissionEvent.TodosPlanned;
import dev.orchestrator.api.MissionEvent.ToolCallCompleted;
import dev.orchestrator.api.MissionEvent.ToolCallStarted;
import dev.orchestrator.api.MissionEvent.VerifyCompleted;
import dev.orchestrator.api.MissionProgress;
import dev.orchestrator.api.RoleUsage;
import dev.orchestrator.api.Todo;
import dev.orchestrator.api.TodoStatus;
import dev.orchestrator.api.TodoStatus.State;
import dev.orchestrator.api.Usage;
import dev.orchestrator.api.VerifyResult;
import io.vavr.collection.HashMap;
import io.vavr.collection.Map;
import io.vavr.collection.Vector;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * A mission's state: a pure fold over its events. The engine keeps no other record of what happened, so replaying
 * the journal rebuilds exactly this.
 *
 * <p>Vavr's persistent collections make each step cheap (a changed todo shares the rest of the map) while every
 * state stays immutable, so a listener or a result can hold one without copying.
 */
record MissionState(String missionId, String goal, String memory, Optional<Instant> startedAt, String brief,
        Map<String, TodoStatus> todos, Vector<String> order, Counts counts, Reviews reviews, Usage usage,
        Vector<String> memoryNotes, Optional<MissionFinished> finished) {

    static final MissionState EMPTY = new MissionState("", "", "", Optional.empty(), "", HashMap.empty(),
            Vector.empty(), Counts.NONE, Reviews.NONE, Usage.ZERO, Vector.empty(), Optional.empty());

    /**
     * How far the review cycle got: the last verify, review and fixes, by iteration. A resumed mission reads here
     * which step of the cycle was cut off.
     *
     * @param verified the iteration of the last verify run
     * @param reviewed the iteration of the last review
     * @param fixed the iteration of the last fixes planned
     * @param lastVerify the last verify result
     * @param openIssues the issues the last review found
     */
    record Reviews(int verified, int reviewed, int fixed, Optional<VerifyResult> lastVerify, List<Issue> openIssues) {

        static final Reviews NONE = new Reviews(0, 0, 0, Optional.empty(), List.of());
    }

    /** The state after {@code event}. */
    MissionState apply(MissionEvent event) {
        return switch (event) {
            case MissionStarted e -> new MissionState(e.missionId(), e.goal(), e.memory(), Optional.of(e.at()), brief,
                    todos, order, counts, reviews, usage, memoryNotes, finished);
            case BriefWritten e -> new MissionState(missionId, goal, memory, startedAt, e.brief(), todos, order, counts,
                    reviews, usage, memoryNotes, finished);
            case TodosPlanned e -> planned(e);
            case TaskDispatched e -> withTodo(e.todoId(), t -> new TodoStatus(t.todo(), State.RUNNING, e.attempt(), ""));
            case TasksDispatched e -> dispatched(e);
            case TaskFinished e -> withTodo(e.todoId(), t -> new TodoStatus(t.todo(),
                    e.succeeded() ? State.DONE : State.FAILED, t.attempts(), e.summary()));
            // the attempt is given back, so the next dispatch takes up the same attempt and replays its calls
            case TaskDeferred e -> e.todoId().map(id -> withTodo(id, t -> new TodoStatus(t.todo(), State.PENDING,
                    t.attempts() - 1, "deferred: " + e.reason()))).orElse(this);
            case LlmCallCompleted e -> new MissionState(missionId, goal, memory, startedAt, brief, todos, order, counts,
                    reviews, usage.plus(e.response().usage()), memoryNotes, finished);
            case VerifyCompleted e -> withReviews(new Reviews(e.iteration(), reviews.reviewed(), reviews.fixed(),
                    Optional.of(e.result()), reviews.openIssues()));
            case ReviewCompleted e -> withReviews(new Reviews(reviews.verified(), e.iteration(), reviews.fixed(),
                    reviews.lastVerify(), e.issues()));
            case MemoryNoted e -> new MissionState(missionId, goal, memory, startedAt, brief, todos, order, counts,
                    reviews, usage, memoryNotes.append(e.note()), finished);
            case MissionFinished e -> new MissionState(missionId, goal, memory, startedAt, brief, todos, order, counts,
                    reviews, usage, memoryNotes, Optional.of(e));
            case MissionReopened e -> new MissionState(missionId, goal, memory, startedAt, brief, todos, order,
                    counts, reviews, usage, memoryNotes, Optional.empty());
            case MissionResumed e -> this;
            case CallRetried e -> this;
            case CallWaited e -> this;
            case CallsPaused e -> this;
            case ConcurrencyChanged e -> this;
            case LlmCallFailed e -> this;
            case ToolCallStarted e -> this;
            case ToolCallCompleted e -> this;
            case MissionEvent.CommandStarted e -> this;
            case AgentNote e -> this;
            case MissionEvent.ReplayDiverged e -> this;
        };
    }

    /** The number of reviews so far. */
    int iteration() {
        return reviews.verified();
    }

    /** The issues the last review left open. */
    List<Issue> openIssues() {
        return reviews.openIssues();
    }

    private MissionState withReviews(Reviews next) {
        return new MissionState(missionId, goal, memory, startedAt, brief, todos, order, counts, next, usage,
                memoryNotes, finished);
    }

    private MissionState planned(TodosPlanned event) {
        Map<String, TodoStatus> next = todos;
        Vector<String> nextOrder = order;
        Counts nextCounts = counts;
        // new todos carry the work of those they replace; with none, the replaced are dropped: work not done
        State replacedState = event.todos().isEmpty() ? State.DROPPED : State.REPLACED;
        for (String replaced : event.replaces()) {
            TodoStatus old = next.get(replaced).getOrElseThrow(() -> unknownTodo(replaced));
            next = next.put(replaced, new TodoStatus(old.todo(), replacedState, old.attempts(), old.summary()));
            nextCounts = nextCounts.move(old.state(), replacedState);
        }
        for (Todo todo : event.todos()) {
            next = next.put(todo.id(), new TodoStatus(todo, State.PENDING, 0, ""));
            nextOrder = nextOrder.append(todo.id());
            nextCounts = nextCounts.add(State.PENDING);
        }
        Reviews nextReviews = event.iteration() == 0 ? reviews : new Reviews(reviews.verified(), reviews.reviewed(),
                event.iteration(), reviews.lastVerify(), reviews.openIssues());
        return new MissionState(missionId, goal, memory, startedAt, brief, next, nextOrder, nextCounts, nextReviews,
                usage, memoryNotes, finished);
    }

    /**
     * The state after a dispatch wave, in one step: what a {@link TaskDispatched} per task would give, with one new
     * state and one change of the counts for the whole wave rather than one per task.
     */
    private MissionState dispatched(TasksDispatched wave) {
        Map<String, TodoStatus> next = todos;
        int[] byState = counts.byState.clone();
        for (TasksDispatched.Dispatch task : wave.tasks()) {
            TodoStatus old = next.get(task.todoId()).getOrElseThrow(() -> unknownTodo(task.todoId()));
            next = next.put(task.todoId(), new TodoStatus(old.todo(), State.RUNNING, task.attempt(), ""));
            byState[old.state().ordinal()]--;
            byState[State.RUNNING.ordinal()]++;
        }
        return new MissionState(missionId, goal, memory, startedAt, brief, next, order, new Counts(byState), reviews,
                usage, memoryNotes, finished);
    }

    private MissionState withTodo(String id, UnaryOperator<TodoStatus> change) {
        TodoStatus old = todos.get(id).getOrElseThrow(() -> unknownTodo(id));
        TodoStatus updated = change.apply(old);
        return new MissionState(missionId, goal, memory, startedAt, brief, todos.put(id, updated), order,
                counts.move(old.state(), updated.state()), reviews, usage, memoryNotes, finished);
    }

    private static IllegalStateException unknownTodo(String id) {
        return new IllegalStateException("the journal names todo '" + id + "', which no plan introduced: "
                + "the journal is not this mission's or is damaged");
    }

    /** Every todo in plan order. */
    List<TodoStatus> todoList() {
        return order.map(id -> todos.get(id).get()).toJavaList();
    }

    /** The status of todo {@code id}. */
    Optional<TodoStatus> todo(String id) {
        return todos.get(id).toJavaOptional();
    }

    /**
     * Whether the work of every todo is done: each is done, or was replaced by todos that carry its work (and are
     * themselves todos of the mission). A dropped todo is work not done.
     */
    boolean allTodosDone() {
        return progress().notDone() == 0;
    }

    /** The todos whose work is not done, in plan order. */
    List<TodoStatus> notDone() {
        return todoList().stream().filter(t -> t.state() != State.DONE && t.state() != State.REPLACED).toList();
    }

    /** The summary of the todos and the usage, without the usage per role, which the state does not keep. */
    MissionProgress progress() {
        return progress(List.of());
    }

    /** The summary a listener gets, with {@code usageByRole} (the checkpoint keeps it). */
    MissionProgress progress(List<RoleUsage> usageByRole) {
        return new MissionProgress(counts.of(State.PENDING), counts.of(State.RUNNING), counts.of(State.DONE),
                counts.of(State.FAILED), counts.of(State.REPLACED), counts.of(State.DROPPED), iteration(), usage,
                usageByRole);
    }

    /**
     * How many todos are in each state, kept as the fold goes so that progress costs nothing to read. An array by
     * state rather than a map: the fold changes it at nearly every todo event (a fan-out's thousands of dispatches),
     * and copying a few ints is all such a change costs. Immutable.
     */
    static final class Counts {

        private static final State[] STATES = State.values();
        static final Counts NONE = new Counts(new int[STATES.length]);

        private final int[] byState;

        /** The counts {@code byState} gives; a state it lacks has none. */
        Counts(java.util.Map<State, Integer> byState) {
            this(new int[STATES.length]);
            byState.forEach((state, n) -> this.byState[state.ordinal()] = n);
        }

        private Counts(int[] byState) {
            this.byState = byState;
        }

        /** The states that have todos, with their numbers. */
        java.util.Map<State, Integer> byState() {
            EnumMap<State, Integer> map = new EnumMap<>(State.class);
            for (State state : STATES) {
                if (byState[state.ordinal()] != 0) {
                    map.put(state, byState[state.ordinal()]);
                }
            }
            return map;
        }

        int of(State state) {
            return byState[state.ordinal()];
        }

        Counts add(State state) {
            int[] next = byState.clone();
            next[state.ordinal()]++;
            return new Counts(next);
        }

        Counts move(State from, State to) {
            if (from == to) {
                return this;
            }
            int[] next = byState.clone();
            next[from.ordinal()]--;
            next[to.ordinal()]++;
            return new Counts(next);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Counts counts && Arrays.equals(byState, counts.byState);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(byState);
        }

        @Override
        public String toString() {
            return "Counts" + byState();
        }
    }
}
