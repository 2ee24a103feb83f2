package dev.orchestrator.cli;

import dev.orchestrator.api.MissionEvent;
import dev.orchestrator.api.MissionResult;
import dev.orchestrator.api.RoleUsage;
import dev.orchestrator.api.Todo;
import dev.orchestrator.api.TodoStatus.State;
import dev.orchestrator.api.Usage;
import dev.orchestrator.core.llm.ModelPrices;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a person wants to know about a mission, folded from its events: the todos and their states, the busy tasks
 * and what each is doing, the tokens and dollars by role, the limiters, the verify runs and reviews, the outcome.
 * The live board, {@code status} and the HTML report all read this one fold, whether the events come from a running
 * mission or from a journal. Not thread-safe: its owner serialises {@link #apply}.
 */
final class MissionView {

    /**
     * A todo an agent is working on.
     *
     * @param taskId the task, {@code todoId#attempt}
     * @param todoId the todo
     * @param role the agent's role
     * @param since when it was dispatched
     * @param tool the tool it runs now, or null while it waits for the model
     */
    record Busy(String taskId, String todoId, String role, Instant since, String tool) {
    }

    /**
     * A provider's limiter as its last change left it.
     *
     * @param name provider, model and quota id
     * @param limit the concurrency limit
     * @param pausedUntil when admissions resume, if paused
     * @param pauseCause why they are paused, empty if not
     */
    record Limiter(String name, double limit, Optional<Instant> pausedUntil, String pauseCause) {
    }

    private final ModelPrices prices;
    private String missionId = "";
    private String goal = "";
    private String workspace = "";
    private String verifyCommand = "";
    private Instant started;
    private Instant last;
    private final Map<String, Todo> todos = new LinkedHashMap<>();
    private final Map<String, State> states = new LinkedHashMap<>();
    private final Map<String, Integer> attempts = new LinkedHashMap<>();
    private final Map<String, String> summaries = new LinkedHashMap<>();
    private final Map<String, Busy> busy = new LinkedHashMap<>();
    private final Map<String, RoleUsage> usageByRole = new TreeMap<>();
    private Usage usage = Usage.ZERO;
    private BigDecimal dollars = BigDecimal.ZERO;
    private final Set<String> unpricedModels = new TreeSet<>();
    private final Map<String, Limiter> limiters = new LinkedHashMap<>();
    private final List<MissionEvent.VerifyCompleted> verifies = new ArrayList<>();
    private final List<MissionEvent.ReviewCompleted> reviews = new ArrayList<>();
    private MissionEvent.MissionFinished finished;
    private long events;
    private long modelCalls;
    private long toolCalls;

    MissionView(ModelPrices prices) {
        this.prices = prices;
    }

    private void dispatched(MissionEvent.TaskDispatched e) {
        states.put(e.todoId(), State.RUNNING);
        attempts.put(e.todoId(), e.attempt());
        busy.put(taskId(e.todoId(), e.attempt()), new Busy(taskId(e.todoId(), e.attempt()), e.todoId(), e.role(),
                e.at(), null));
    }

    /** Folds {@code event} in. */
    void apply(MissionEvent event) {
        events++;
        last = event.at();
        switch (event) {
            case MissionEvent.MissionStarted e -> {
                missionId = e.missionId();
                goal = e.goal();
                workspace = e.workspace();
                verifyCommand = e.verifyCommand();
                started = e.at();
            }
            case MissionEvent.MissionReopened e -> finished = null;
            case MissionEvent.TodosPlanned e -> {
                State replaced = e.todos().isEmpty() ? State.DROPPED : State.REPLACED;
                e.replaces().forEach(id -> states.put(id, replaced));
                e.todos().forEach(todo -> {
                    todos.put(todo.id(), todo);
                    states.put(todo.id(), State.PENDING);
                });
            }
            case MissionEvent.TaskDispatched e -> dispatched(e);
            case MissionEvent.TasksDispatched e -> e.each().forEach(this::dispatched);
            case MissionEvent.TaskFinished e -> {
                states.put(e.todoId(), e.succeeded() ? State.DONE : State.FAILED);
                summaries.put(e.todoId(), e.summary());
                busy.remove(taskId(e.todoId(), e.attempt()));
            }
            case MissionEvent.TaskDeferred e -> {
                e.todoId().ifPresent(id -> states.put(id, State.PENDING));
                busy.remove(e.taskId());
            }
            case MissionEvent.ToolCallStarted e -> {
                toolCalls++;
                busy.computeIfPresent(e.taskId(), (id, b) -> new Busy(id, b.todoId(), b.role(), b.since(), e.tool()));
            }
            case MissionEvent.ToolCallCompleted e ->
                    busy.computeIfPresent(e.taskId(), (id, b) -> new Busy(id, b.todoId(), b.role(), b.since(), null));
            case MissionEvent.LlmCallCompleted e -> {
                modelCalls++;
                Usage used = e.response().usage();
                usage = usage.plus(used);
                Optional<BigDecimal> cost = prices.cost(e.response().model(), used);
                usageByRole.merge(e.role(), new RoleUsage(e.role(), 1, used, cost), RoleUsage::plus);
                cost.ifPresentOrElse(c -> dollars = dollars.add(c), () -> unpricedModels.add(e.response().model()));
            }
            case MissionEvent.ConcurrencyChanged e -> limiters.put(e.limiter(), new Limiter(e.limiter(), e.limit(),
                    e.pausedUntil(), e.pausedUntil().isPresent() ? e.cause() : ""));
            case MissionEvent.CallsPaused e -> limiters.compute(e.limiter(), (name, l) -> new Limiter(name,
                    l == null ? Double.NaN : l.limit(), Optional.of(e.until()), e.cause()));
            case MissionEvent.VerifyCompleted e -> verifies.add(e);
            case MissionEvent.ReviewCompleted e -> reviews.add(e);
            case MissionEvent.MissionFinished e -> {
                finished = e;
                busy.clear();
            }
            default -> {
            }
        }
    }

    static String taskId(String todoId, int attempt) {
        return todoId + "#" + attempt;
    }

    String missionId() {
        return missionId;
    }

    String goal() {
        return goal;
    }

    String workspace() {
        return workspace;
    }

    String verifyCommand() {
        return verifyCommand;
    }

    Optional<Instant> started() {
        return Optional.ofNullable(started);
    }

    Optional<Instant> last() {
        return Optional.ofNullable(last);
    }

    long events() {
        return events;
    }

    long modelCalls() {
        return modelCalls;
    }

    long toolCalls() {
        return toolCalls;
    }

    /** The todos in the order they were planned. */
    Map<String, Todo> todos() {
        return Collections.unmodifiableMap(todos);
    }

    State state(String todoId) {
        return states.getOrDefault(todoId, State.PENDING);
    }

    int attempts(String todoId) {
        return attempts.getOrDefault(todoId, 0);
    }

    String summary(String todoId) {
        return summaries.getOrDefault(todoId, "");
    }

    /** How many todos are in each state, every state present. */
    Map<State, Integer> counts() {
        Map<State, Integer> counts = new EnumMap<>(State.class);
        for (State state : State.values()) {
            counts.put(state, 0);
        }
        todos.keySet().forEach(id -> counts.merge(state(id), 1, Integer::sum));
        return counts;
    }

    /** The busy tasks, oldest first. */
    List<Busy> busy() {
        return List.copyOf(busy.values());
    }

    Usage usage() {
        return usage;
    }

    /** Each role's calls, tokens and dollars, by role name. */
    Map<String, RoleUsage> usageByRole() {
        return Collections.unmodifiableMap(usageByRole);
    }

    /** The dollars of the calls whose model has a price. */
    BigDecimal dollars() {
        return dollars;
    }

    /** The models of calls that had no price, so their dollars are not counted. */
    Set<String> unpricedModels() {
        return Collections.unmodifiableSet(unpricedModels);
    }

    List<Limiter> limiters() {
        return List.copyOf(limiters.values());
    }

    List<MissionEvent.VerifyCompleted> verifies() {
        return List.copyOf(verifies);
    }

    List<MissionEvent.ReviewCompleted> reviews() {
        return List.copyOf(reviews);
    }

    /** How the mission ended, unless it has not ended (or was reopened since). */
    Optional<MissionEvent.MissionFinished> finished() {
        return Optional.ofNullable(finished);
    }

    boolean completed() {
        return finished != null && finished.outcome() == MissionResult.Outcome.COMPLETED;
    }

    /** One role's usage on one indented line, as {@code status} and {@code run} print it. */
    static String line(RoleUsage role) {
        Usage used = role.usage();
        return String.format(Locale.ROOT, "  %-10s %,d %s: %,d input, %,d cache read, %,d cache write, %,d output, %s",
                role.role(), role.calls(), role.calls() == 1 ? "call" : "calls", used.inputTokens(),
                used.cacheReadTokens(), used.cacheWriteTokens(), used.outputTokens(),
                role.dollars().map(d -> String.format(Locale.ROOT, "$%.4f", d)).orElse("no price"));
    }

    /** The share of input tokens served from the provider's prompt cache, 0 to 1. */
    static double cachedShare(Usage usage) {
        long input = usage.inputTokens() + usage.cacheReadTokens() + usage.cacheWriteTokens();
        return input == 0 ? 0 : (double) usage.cacheReadTokens() / input;
    }
}
