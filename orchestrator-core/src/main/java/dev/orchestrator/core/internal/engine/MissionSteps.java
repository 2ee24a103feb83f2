package dev.orchestrator.core.internal.engine;

import dev.orchestrator.api.Budget;
import dev.orchestrator.api.Issue;
import dev.orchestrator.api.MissionListener;
import dev.orchestrator.api.MissionEvent;
import dev.orchestrator.api.MissionEvent.MissionFinished;
import dev.orchestrator.api.MissionProgress;
import dev.orchestrator.api.MissionResult;
import dev.orchestrator.api.MissionResult.Outcome;
import dev.orchestrator.api.ModelPrice;
import dev.orchestrator.api.Task;
import dev.orchestrator.api.Todo;
import dev.orchestrator.api.TodoStatus;
import dev.orchestrator.api.TodoStatus.State;
import dev.orchestrator.api.Usage;
import dev.orchestrator.api.VerifyResult;
import dev.orchestrator.core.internal.agents.PlanCheck;
import dev.orchestrator.core.internal.journal.EventCodec;
import dev.orchestrator.core.internal.log.Durations;
import dev.orchestrator.core.llm.ModelPrices;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The control loop's decisions over the mission's event fold, one step at a time and without threads, clocks or
 * I/O: for a driver that runs the tasks elsewhere and must be deterministic (a Temporal workflow). {@link MissionRun}
 * takes the same decisions (readiness, the completion gate, what is missing) from here, so there is one rule for
 * each. Not thread-safe: one driver owns it.
 */
public final class MissionSteps {

    private final String goal;
    private final String verifyCommand;
    private final int maxIterations;
    private final int maxAttempts;
    private final Set<String> roles;
    // the checkpoint's fold, not the state's alone: the result's usage per role is folded beside the state
    private Checkpoint checkpoint = Checkpoint.EMPTY;

    /**
     * @param goal the mission's goal
     * @param verifyCommand the command the Reviewer's verify step runs
     * @param maxIterations the most reviews
     * @param maxAttempts the most attempts at one todo
     * @param roles the roles of the agents the workers have, which todos may name
     */
    public MissionSteps(String goal, String verifyCommand, int maxIterations, int maxAttempts, Set<String> roles) {
        this.goal = goal;
        this.verifyCommand = verifyCommand;
        this.maxIterations = maxIterations;
        this.maxAttempts = maxAttempts;
        this.roles = Set.copyOf(roles);
    }

    /** Folds {@code event} into the state: every event the driver records, in its order. */
    public void apply(MissionEvent event) {
        checkpoint = checkpoint.apply(event);
    }

    private MissionState state() {
        return checkpoint.state();
    }

    /**
     * Goes on from {@code checkpoint} (see {@link #checkpoint()}): a driver that starts afresh with the state another
     * driver folded, as a Temporal workflow does when it continues as a new run.
     */
    public void restore(String checkpoint) {
        this.checkpoint = new CheckpointCodec(EventCodec.shared()).decode(checkpoint.getBytes(StandardCharsets.UTF_8));
    }

    /** {@return the fold of every event applied so far, as JSON: what {@link #restore} goes on from} */
    public String checkpoint() {
        return new String(new CheckpointCodec(EventCodec.shared()).encode(checkpoint), StandardCharsets.UTF_8);
    }

    /** {@return how many events were applied, counting those of a restored checkpoint} */
    public long events() {
        return checkpoint.events();
    }

    /** {@return whether the Commander has written the brief} */
    public boolean hasBrief() {
        return !state().brief().isEmpty();
    }

    /** {@return whether the mission has a plan} */
    public boolean hasPlan() {
        return !state().todos().isEmpty();
    }

    /** {@return the Commander's triage of the goal} */
    public Task.Triage triage() {
        return new Task.Triage(goal, state().memory());
    }

    /** {@return the Planner's task} */
    public Task.Plan plan() {
        return new Task.Plan(goal, state().brief(), state().memory());
    }

    /**
     * The todos that may start now, in plan order, at most {@code room} of them.
     *
     * @param busy the todos running or held back
     * @param room how many more may run
     * @return their tasks, each the next attempt
     */
    public List<Task.Work> ready(Set<String> busy, int room) {
        List<Task.Work> tasks = new ArrayList<>();
        for (TodoStatus status : state().todoList()) {
            if (tasks.size() >= room) {
                break;
            }
            if (!busy.contains(status.todo().id()) && isReady(status, state(), maxAttempts)) {
                tasks.add(new Task.Work(goal, status.todo(), status.attempts() + 1));
            }
        }
        return tasks;
    }

    /** Whether {@code status} waits to run and every todo it depends on is settled; running aside. */
    static boolean isReady(TodoStatus status, MissionState state, int maxAttempts) {
        boolean waiting = status.state() == State.PENDING
                || status.state() == State.FAILED && status.attempts() < maxAttempts;
        if (!waiting) {
            return false;
        }
        // a loop, not a stream: the Commander asks this of every todo it dispatches
        for (String id : status.todo().dependsOn()) {
            TodoStatus dependency = state.todos().get(id).getOrNull();
            // a replaced or dropped dependency will not be done under its own id: what waits on it goes as it is
            if (dependency == null || dependency.state() != State.DONE && dependency.state() != State.REPLACED
                    && dependency.state() != State.DROPPED) {
                return false;
            }
        }
        return true;
    }

    /**
     * Why {@code todos} cannot be added as the plan (iteration 0) or the fixes after review {@code iteration}, if
     * they cannot: the message the mission fails with.
     */
    public Optional<String> planProblems(int iteration, List<Todo> todos) {
        return planProblems(state(), roles, iteration, todos);
    }

    static Optional<String> planProblems(MissionState state, Set<String> roles, int iteration, List<Todo> todos) {
        List<String> problems = PlanCheck.problems(todos, state.todos().keySet().toJavaSet(), roles);
        if (iteration == 0 && todos.isEmpty()) {
            problems = List.of("the plan has no todos");
        }
        return problems.isEmpty() ? Optional.empty() : Optional.of((iteration == 0 ? "the plan"
                : "the fixes after review " + iteration) + " cannot be used: " + String.join("; ", problems));
    }

    /** {@return the number of the next review} */
    public int nextIteration() {
        return state().reviews().verified() + 1;
    }

    /** {@return the Reviewer's task after verify run {@code verify}} */
    public Task.Review review(int iteration, VerifyResult verify) {
        return new Task.Review(goal, iteration, state().todoList(), verify);
    }

    /** {@return the Commander's task of planning fixes for {@code issues}} */
    public Task.Fix fix(int iteration, List<Issue> issues, VerifyResult verify) {
        return new Task.Fix(goal, iteration, issues, state().todoList(), verify);
    }

    /** How a mission ends. */
    public record End(Outcome outcome, String reason) {
    }

    /**
     * The completion gate after review {@code iteration}: completed, or out of iterations, or empty to go on with
     * fixes.
     */
    public Optional<End> judge(int iteration, VerifyResult verify, List<Issue> issues) {
        return judge(state(), iteration, verify, issues, verifyCommand, maxIterations);
    }

    static Optional<End> judge(MissionState state, int iteration, VerifyResult verify, List<Issue> issues,
            String verifyCommand, int maxIterations) {
        if (state.allTodosDone() && verify.passed() && issues.isEmpty()) {
            int replaced = state.progress().replaced();
            return Optional.of(new End(Outcome.COMPLETED, (state.todos().size() == 1 ? "the only todo is done"
                    : "all " + state.todos().size() + " todos are done") + (replaced == 0 ? ""
                    : " (" + replaced + " of them by the todos that replaced them)") + ", '"
                    + verifyCommand + "' passes and the review found no open issue"));
        }
        if (iteration >= maxIterations) {
            return Optional.of(new End(Outcome.ITERATION_LIMIT, "after " + iteration + " reviews: "
                    + gaps(state, verify, issues) + "; allow more reviews with Mission.Builder.maxIterations(...)"));
        }
        return Optional.empty();
    }

    /** What keeps the mission from completing, in words. */
    private static String gaps(MissionState state, VerifyResult verify, List<Issue> issues) {
        List<TodoStatus> notDone = state.notDone();
        return (verify.passed() ? "the verify command passes" : "the verify command fails (" + exit(verify) + ")")
                + ", " + issues.size() + (issues.size() == 1 ? " issue is" : " issues are") + " open and "
                + notDone.size() + (notDone.size() == 1 ? " todo is" : " todos are") + " not done"
                + (notDone.isEmpty() ? "" : " (" + notDone.stream().limit(10)
                        .map(t -> t.todo().id() + " " + t.state().name().toLowerCase(Locale.ROOT))
                        .collect(Collectors.joining(", ")) + (notDone.size() > 10 ? ", …" : "") + ")");
    }

    static String exit(VerifyResult verify) {
        return verify.timedOut() ? "timed out" : "exit " + verify.exitCode();
    }

    /** {@return the Reviewer's issues with a failing verify command as the first} (see {@link MissionRun}) */
    public static List<Issue> withVerifyIssue(List<Issue> found, VerifyResult verify) {
        return MissionRun.withVerifyIssue(found, verify);
    }

    /**
     * Why the mission must stop for its spending, if it must: the budget is reached ({@code BUDGET_EXHAUSTED}), or a
     * dollar budget meets a model without a price ({@code FAILED}); the embedded engine's check, over every call
     * folded so far.
     *
     * @param budget the mission's budget
     * @param prices what each model's tokens cost (see {@link #prices})
     */
    public Optional<End> spent(Budget budget, ModelPrices prices) {
        BudgetGuard guard = new BudgetGuard(budget, prices);
        Optional<String> unpriced = addCalls(guard);
        if (unpriced.isPresent()) {
            return Optional.of(new End(Outcome.FAILED, unpriced.get()));
        }
        return guard.exhausted(usage()).map(reason -> new End(Outcome.BUDGET_EXHAUSTED, reason));
    }

    /**
     * {@return what is left of {@code budget} after every call folded so far; at least one token and a millionth of
     * a dollar, so that a task given it stops before its first call when nothing is left}
     */
    public Budget left(Budget budget, ModelPrices prices) {
        long tokens = budget.maxTokens() == Long.MAX_VALUE ? Long.MAX_VALUE
                : Math.max(1, budget.maxTokens() - usage().totalTokens());
        BudgetGuard guard = new BudgetGuard(budget, prices);
        addCalls(guard);
        return new Budget(tokens, budget.maxDollars().map(max -> max.subtract(guard.dollars())
                .max(new BigDecimal("0.000001"))));
    }

    /** Adds every call folded so far to {@code guard}; {@return why the calls cannot be priced, if they cannot} */
    private Optional<String> addCalls(BudgetGuard guard) {
        for (var model : checkpoint.usage().byModel()) {
            Optional<String> unpriced = guard.add(model._1(), model._2());
            if (unpriced.isPresent()) {
                return unpriced;
            }
        }
        return Optional.empty();
    }

    /** {@return the SDK's prices with {@code overrides} (the mission's own) put over them} */
    public static ModelPrices prices(Map<String, ModelPrice> overrides) {
        return BudgetGuard.prices(overrides);
    }

    /** {@return how the mission ends when its {@code deadline} passes, saying what was left} */
    public End deadlinePassed(Duration deadline) {
        return deadlinePassed(state(), deadline);
    }

    static End deadlinePassed(MissionState state, Duration deadline) {
        return new End(Outcome.DEADLINE, "the deadline of " + Durations.words(deadline) + " passed ("
                + state.progress().done() + " of " + state.todos().size() + " todos done); give the mission more time "
                + "with Mission.Builder.deadline(...) and run it again on the same journal to go on from here");
    }

    /** {@return the project memory as the mission started with it} */
    public String memory() {
        return state().memory();
    }

    /** {@return the notes the mission's agents made so far, in order} */
    public List<String> memoryNotes() {
        return state().memoryNotes().asJava();
    }

    /** {@return the memory file's notes as agents read them, or "" when it does not exist} */
    public static String memoryOf(Path file) {
        return MemoryFile.forPrompt(MemoryFile.read(file));
    }

    /** Merges the mission's memory notes into {@code file}, as the embedded engine does at the mission's end. */
    public void saveMemory(Path file) {
        MemoryFile.save(file, state().memory(), memoryNotes());
    }

    /** {@return what {@code listeners} keep for the mission's later runs ({@link MissionListener#missionContext()})} */
    public static Map<String, String> missionContext(List<MissionListener> listeners) {
        return Map.copyOf(EventRecorder.missionContext(listeners));
    }

    /** {@return the tokens spent so far} */
    public Usage usage() {
        return state().usage();
    }

    /** {@return the progress to show listeners} */
    public MissionProgress progress() {
        return state().progress();
    }

    /**
     * {@return the mission's result as it stands, ended as {@code end}}
     *
     * @param prices what each model's tokens cost, for the usage per role
     */
    public MissionResult result(End end, ModelPrices prices) {
        MissionState state = state();
        Instant endedAt = state.finished().map(MissionFinished::at).orElse(state.startedAt().orElse(Instant.EPOCH));
        Duration duration = state.startedAt().map(start -> Duration.between(start, endedAt)).orElse(Duration.ZERO);
        return new MissionResult(state.missionId(), end.outcome(), end.reason(), state.todoList(),
                state.openIssues(), state.usage(), checkpoint.usage().byRole(prices), state.iteration(), duration);
    }
}
