package dev.orchestrator.core.internal.engine;

import dev.orchestrator.api.Agent;
import dev.orchestrator.api.AgentResult;
import dev.orchestrator.api.Issue;
import dev.orchestrator.api.LlmException;
import dev.orchestrator.api.MissionEvent;
import dev.orchestrator.api.MissionEvent.BriefWritten;
import dev.orchestrator.api.MissionEvent.MissionFinished;
import dev.orchestrator.api.MissionEvent.MissionReopened;
import dev.orchestrator.api.MissionEvent.MissionResumed;
import dev.orchestrator.api.MissionEvent.MissionStarted;
import dev.orchestrator.api.MissionEvent.ReviewCompleted;
import dev.orchestrator.api.MissionEvent.TaskDeferred;
import dev.orchestrator.api.MissionEvent.TaskFinished;
import dev.orchestrator.api.MissionEvent.TasksDispatched;
import dev.orchestrator.api.MissionEvent.TodosPlanned;
import dev.orchestrator.api.MissionEvent.VerifyCompleted;
import dev.orchestrator.api.MissionResult;
import dev.orchestrator.api.MissionResult.Outcome;
import dev.orchestrator.api.MissionStoppedException;
import dev.orchestrator.api.Task;
import dev.orchestrator.api.Todo;
import dev.orchestrator.api.TodoStatus;
import dev.orchestrator.api.TodoStatus.State;
import dev.orchestrator.api.VerifyResult;
import dev.orchestrator.api.spi.MissionSettings;
import dev.orchestrator.core.internal.agents.AgentGaveUp;
import dev.orchestrator.core.internal.engine.StopSignal.Stop;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The Commander's control loop, in code: triage, plan, dispatch every ready todo to an agent on its own thread,
 * wait for results without asking anyone, verify, review, plan fixes, and again, until the work is done or a limit
 * is reached. The model is consulted only inside the agents, for judgment.
 *
 * <p>Runs on one thread, the Commander's; only it dispatches, so the running set and the scheduling index need no
 * lock. Workers report back through a queue.
 *
 * <p>No mission is lost to a passing failure: a task of any role whose model call fails transiently, even after
 * the retry layer's attempts, is put back ({@link TaskDeferred}, journaled) and taken up again after a backoff, as
 * the same attempt, its finished calls answered from the journal. The mission ends only at a limit the user set
 * (deadline, budget, iterations), on a fatal error, or when the work is done.
 */
final class MissionRun {

    /**
     * The todos of the first dispatch wave, whose durability the first Workers' calls wait for: small, so that they
     * go out after a short record's sync; see {@link #dispatchReady}.
     */
    static final int FIRST_DISPATCH_WAVE = 16;
    /**
     * The most todos one dispatch wave holds: about 50 bytes of journal each, so that a wave stays far below any
     * journal's record limit (the plan that introduced its todos is a larger record) and its fold is short.
     */
    static final int MAX_DISPATCH_WAVE = 256;

    private final MissionSettings settings;
    private final MissionServices services;
    private final EventRecorder recorder;
    private final StopSignal stop;
    private final BlockingQueue<WorkerOutcome> finished = new LinkedBlockingQueue<>();
    private final Map<String, Thread> running = new HashMap<>();
    private final Deque<String> candidates = new ArrayDeque<>();
    private final Map<String, List<String>> dependents = new HashMap<>();
    private final Deferrals deferrals;

    MissionRun(MissionSettings settings, MissionServices services) {
        this.settings = settings;
        this.services = services;
        this.deferrals = new Deferrals(System::nanoTime, settings.callPatience());
        this.recorder = services.recorder();
        this.stop = services.stop();
    }

    /**
     * Runs the mission to its end, or resumes it from its journal, and returns the result; never throws. A mission
     * that completed returns its result; one that ended otherwise is reopened and goes on with this run's settings.
     */
    MissionResult run() {
        Optional<MissionFinished> previous = recorder.state().finished();
        if (completed(recorder.state())) {
            return result(new Stop(previous.get().outcome(), previous.get().reason()));
        }
        DeadlineWatch deadline = new DeadlineWatch(settings.deadline(), settings.clock(), settings.threadFactory(),
                this::deadlinePassed);
        try {
            if (services.eventsReplayed() == 0) {
                recorder.record(new MissionStarted(services.missionId(), settings.goal(),
                        settings.workspace().toString(), settings.verifyCommand(), services.initialMemory(),
                        services.missionContext(), recorder.now()));
            } else {
                previous.ifPresent(end -> recorder.record(new MissionReopened(end.outcome(), end.reason(),
                        recorder.now())));
                resume();
            }
            if (recorder.state().brief().isEmpty()) {
                String brief = expect(Agent.COMMANDER, new Task.Triage(settings.goal(), services.memory().read()),
                        AgentResult.Brief.class).text();
                recorder.record(new BriefWritten(brief, recorder.now()));
            }
            if (recorder.state().todos().isEmpty()) {
                Task.Plan planTask = new Task.Plan(settings.goal(), recorder.state().brief(), services.memory().read());
                addTodos(0, expect(Agent.PLANNER, planTask, AgentResult.Plan.class).todos(), List.of());
            }
            while (!stop.isSet()) {
                runReadyTodos();
                if (!stop.isSet()) {
                    reviewAndFix();
                }
            }
        } catch (InterruptedException e) {
            stop.trigger(Outcome.CANCELLED, "interrupted");
        } catch (Throwable t) {
            stop.trigger(Outcome.FAILED, describe(t, "the Commander"));
            if (t instanceof Error error) {
                stopWorkers();
                throw error;
            }
        } finally {
            deadline.close();
        }
        stopWorkers();
        return finish();
    }

    /** Whether the mission of {@code state} completed: running it again gives its result and does nothing else. */
    static boolean completed(MissionState state) {
        return state.finished().filter(end -> end.outcome() == Outcome.COMPLETED).isPresent();
    }

    /** Stops the mission at its deadline, saying what was left. */
    private void deadlinePassed() {
        MissionSteps.End end = MissionSteps.deadlinePassed(recorder.state(), settings.deadline().orElseThrow());
        stop.trigger(end.outcome(), end.reason());
    }

    /**
     * Takes up a mission from its journal: indexes its todos for dispatch and restarts the attempts that were
     * running, as the same attempts, so their model and tool calls are answered from the journal up to the point
     * where the crash cut them off.
     */
    private void resume() {
        MissionState state = recorder.state();
        index(state.todoList().stream().map(TodoStatus::todo).toList());
        List<TodoStatus> interrupted = state.todoList().stream().filter(t -> t.state() == State.RUNNING).toList();
        recorder.record(new MissionResumed(services.eventsReplayed(),
                interrupted.stream().map(t -> t.todo().id()).toList(), recorder.now()));
        // their dispatch was durable before the crash
        interrupted.forEach(t -> startWorker(t.todo(), t.attempts(), EventRecorder.Durable.ALREADY));
    }

    /** Runs todos until none is running or held back for a retry: then every todo that can run has run. */
    private void runReadyTodos() throws InterruptedException {
        while (!stop.isSet()) {
            candidates.addAll(deferrals.releaseDue());
            dispatchReady();
            if (running.isEmpty() && !deferrals.any()) {
                return;
            }
            settle(waitForTasks(deferrals.untilNext()));
        }
    }

    /**
     * Blocks until at least one task finishes, or until the next held-back todo is due, and returns all that
     * have finished: wait_for_tasks, with no polling.
     */
    private List<WorkerOutcome> waitForTasks(Optional<Duration> nextDue) throws InterruptedException {
        List<WorkerOutcome> batch = new ArrayList<>();
        if (nextDue.isEmpty()) {
            batch.add(finished.take());
        } else {
            WorkerOutcome first = finished.poll(nextDue.get().toNanos(), TimeUnit.NANOSECONDS);
            if (first == null) {
                return batch;
            }
            batch.add(first);
        }
        finished.drainTo(batch);
        return batch;
    }

    /**
     * Dispatches the candidates that are ready, up to the parallel limit. Candidates are the todos whose readiness
     * may have changed (new ones, retries, dependents of a finished one), so each batch costs what changed rather
     * than a scan of the whole plan. Their dispatch is recorded in waves, each one journal record ({@link
     * TasksDispatched}) folded in one step, and a wave's Workers start as soon as it is appended: each builds its
     * task, prompt and first request on its own thread while the journal makes its wave durable and this thread
     * folds the next, and waits for its wave only before its first effect, a model or tool call (write-ahead
     * concerns what a Worker does, not what it prepares; {@link MissionServices#contextFor(String, String,
     * EventRecorder.Durable)}). The waves double from {@value #FIRST_DISPATCH_WAVE} to {@value #MAX_DISPATCH_WAVE}
     * todos, so that the first calls go out after a small record's sync and a record stays small. Per todo, this
     * thread only picks it and starts its thread.
     */
    private void dispatchReady() {
        MissionState state = recorder.state();
        List<TodoStatus> ready = new ArrayList<>();
        Set<String> chosen = new HashSet<>();
        while (!candidates.isEmpty() && running.size() + ready.size() < settings.maxParallelWorkers()
                && !stop.isSet()) {
            TodoStatus status = state.todo(candidates.poll()).orElseThrow();
            if (isReady(status, state) && chosen.add(status.todo().id())) {
                ready.add(status);
            }
        }
        List<EventRecorder.Appended> waves = new ArrayList<>();
        try {
            for (int from = 0, size = FIRST_DISPATCH_WAVE; from < ready.size();
                    from += size, size = Math.min(2 * size, MAX_DISPATCH_WAVE)) {
                List<TodoStatus> wave = ready.subList(from, Math.min(ready.size(), from + size));
                List<TasksDispatched.Dispatch> tasks = new ArrayList<>(wave.size());
                for (TodoStatus status : wave) {
                    tasks.add(new TasksDispatched.Dispatch(status.todo().id(), status.attempts() + 1,
                            status.todo().role()));
                }
                EventRecorder.Appended appended = recorder.appendAll(List.of(new TasksDispatched(tasks,
                        recorder.now())));
                waves.add(appended);
                EventRecorder.Durable durable = appended.durable();
                for (TodoStatus status : wave) {
                    startWorker(status.todo(), status.attempts() + 1, durable);
                }
            }
        } finally {
            awaitAll(waves);
        }
    }

    /**
     * Waits for every one of {@code waves} (each also stores the snapshot that fell due with it), so that a failure
     * of one leaves no snapshot of a later one pending, and then throws the first failure.
     */
    private static void awaitAll(List<EventRecorder.Appended> waves) {
        JournalFailure failed = null;
        for (EventRecorder.Appended wave : waves) {
            try {
                wave.await();
            } catch (JournalFailure e) {
                failed = failed == null ? e : failed;
            }
        }
        if (failed != null) {
            throw failed;
        }
    }

    /**
     * Starts attempt {@code attempt} of {@code todo} on a thread of its own, which builds its task itself and acts
     * only once {@code dispatched} is durable.
     */
    private void startWorker(Todo todo, int attempt, EventRecorder.Durable dispatched) {
        Thread worker = settings.threadFactory().newThread(() -> work(new Task.Work(settings.goal(), todo, attempt),
                dispatched));
        running.put(todo.id(), worker);
        worker.start();
    }

    private boolean isReady(TodoStatus status, MissionState state) {
        return !running.containsKey(status.todo().id()) && !deferrals.isHeldBack(status.todo().id())
                && MissionSteps.isReady(status, state, settings.maxAttempts());
    }

    /**
     * The body of a worker thread: act once {@code dispatched} is durable, then always report, so the Commander
     * never waits for a lost thread.
     */
    private void work(Task.Work task, EventRecorder.Durable dispatched) {
        String role = task.todo().role();
        String taskId = task.id(); // built by concatenation at every call
        WorkerOutcome outcome = new WorkerOutcome.Stopped(task.todo().id());
        try {
            outcome = switch (services.agents().get(role).act(task, services.contextFor(role, taskId,
                    dispatched))) {
                case AgentResult.Done done -> finishedOutcome(task, true, done.summary());
                case AgentResult.Failed failed -> finishedOutcome(task, false, failed.reason());
                case AgentResult other -> {
                    stop.trigger(Outcome.FAILED, wrongAnswer(role, task, other, "Done or AgentResult.Failed"));
                    yield outcome;
                }
            };
        } catch (LlmException e) {
            if (!e.isRetryable()) {
                stop.trigger(Outcome.FAILED, describe(e, "agent '" + role + "' on " + task.id()));
            } else if (!stop.isSet()) {
                outcome = new WorkerOutcome.Deferred(task.todo().id(), taskId, role, e);
            }
        } catch (Throwable t) {
            if (!(t instanceof MissionStoppedException)) {
                stop.trigger(Outcome.FAILED, describe(t, "agent '" + role + "' on " + task.id()));
            }
            if (t instanceof Error error) {
                throw error;
            }
        } finally {
            services.leases().releaseAll(taskId);
            services.background().endAll(taskId);
            finished.add(outcome);
        }
    }

    private static WorkerOutcome finishedOutcome(Task.Work task, boolean succeeded, String summary) {
        return new WorkerOutcome.Finished(task.todo().id(), task.attempt(), succeeded, summary);
    }

    /**
     * Settles outcomes the workers reported. Their finish events are recorded together, as dispatches are: one by
     * one, the Commander would wait for one journal sync per finished task and drain N finishes in N syncs.
     */
    private void settle(List<WorkerOutcome> outcomes) {
        // every one of them has reported, so none is running any more, even if recording their ends fails
        outcomes.forEach(outcome -> running.remove(outcome.todoId()));
        List<MissionEvent> events = new ArrayList<>();
        Map<String, Duration> delays = new HashMap<>();
        for (WorkerOutcome outcome : outcomes) {
            switch (outcome) {
                case WorkerOutcome.Finished f -> events.add(new TaskFinished(f.todoId(), f.attempt(), f.succeeded(),
                        f.summary(), recorder.now()));
                case WorkerOutcome.Deferred d -> {
                    try {
                        Duration delay = deferrals.delay(d.todoId(), d.failure());
                        delays.put(d.todoId(), delay);
                        events.add(deferred(d.taskId(), Optional.of(d.todoId()), d.role(), d.failure(), delay));
                    } catch (LlmException.PatienceExhausted e) {
                        stop.trigger(Outcome.FAILED, gaveUp(d.role(), d.taskId(), e));
                    }
                }
                case WorkerOutcome.Stopped s -> {
                }
            }
        }
        recorder.recordAll(events);
        for (WorkerOutcome outcome : outcomes) {
            switch (outcome) {
                case WorkerOutcome.Finished f -> {
                    deferrals.succeeded(f.todoId());
                    services.recorded().forget(f.todoId() + "#" + f.attempt());
                    // a success may make dependents ready; a failure may be retried
                    if (f.succeeded()) {
                        candidates.addAll(dependents.getOrDefault(f.todoId(), List.of()));
                    } else {
                        candidates.add(f.todoId());
                    }
                }
                case WorkerOutcome.Deferred d -> {
                    Duration delay = delays.get(d.todoId());
                    if (delay != null) { // none when it gave up
                        deferrals.holdBack(d.todoId(), delay);
                    }
                }
                case WorkerOutcome.Stopped s -> {
                }
            }
        }
    }

    /** The event that puts a task back for {@code delay} after {@code failure}. */
    private TaskDeferred deferred(String taskId, Optional<String> todoId, String role, LlmException failure,
            Duration delay) {
        Instant now = recorder.now();
        return new TaskDeferred(taskId, todoId, role, failure.getClass().getSimpleName() + ": "
                + failure.getMessage(), now.plus(delay), now);
    }

    /**
     * One review cycle: verify, review, decide, plan fixes. A resumed mission enters it at the step the crash cut
     * off: a recorded verify is not run again, a recorded review not asked again.
     */
    private void reviewAndFix() throws InterruptedException {
        MissionState.Reviews reviews = recorder.state().reviews();
        int iteration;
        VerifyResult verify;
        List<Issue> issues;
        if (reviews.reviewed() > reviews.fixed()) {
            // resumed after a review whose decision was not recorded
            iteration = reviews.reviewed();
            verify = reviews.lastVerify().orElseThrow();
            issues = reviews.openIssues();
        } else {
            if (reviews.verified() > reviews.reviewed()) {
                iteration = reviews.verified();
                verify = reviews.lastVerify().orElseThrow();
            } else {
                iteration = reviews.verified() + 1;
                verify = services.verify();
                recorder.record(new VerifyCompleted(iteration, verify, recorder.now()));
            }
            Task.Review review = new Task.Review(settings.goal(), iteration, recorder.state().todoList(), verify);
            issues = withVerifyIssue(expect(Agent.REVIEWER, review, AgentResult.Verdict.class).issues(), verify);
            recorder.record(new ReviewCompleted(iteration, issues, recorder.now()));
        }

        MissionState state = recorder.state();
        Optional<MissionSteps.End> end = MissionSteps.judge(state, iteration, verify, issues,
                settings.verifyCommand(), settings.maxIterations());
        if (end.isPresent()) {
            stop.trigger(end.get().outcome(), end.get().reason());
            return;
        }
        Task.Fix fix = new Task.Fix(settings.goal(), iteration, issues, state.todoList(), verify);
        List<Todo> fixes = expect(Agent.COMMANDER, fix, AgentResult.Plan.class).todos();
        addTodos(iteration, fixes, fix.failed().stream().map(t -> t.todo().id()).toList());
    }

    /** The most of a failing verify command's output that its issue quotes: the end, where failures show. */
    static final int VERIFY_OUTPUT_IN_ISSUE = 4_000;

    /**
     * The Reviewer's issues, and a failing verify command as an issue in itself, first: the Commander gets it
     * with its output even when the Reviewer's model reports nothing.
     */
    static List<Issue> withVerifyIssue(List<Issue> found, VerifyResult verify) {
        if (verify.passed()) {
            return found;
        }
        String output = verify.output().strip();
        String tail = output.length() <= VERIFY_OUTPUT_IN_ISSUE ? output
                : "[… " + (output.length() - VERIFY_OUTPUT_IN_ISSUE) + " characters before]\n"
                        + output.substring(output.length() - VERIFY_OUTPUT_IN_ISSUE);
        List<Issue> all = new ArrayList<>();
        all.add(new Issue("the verify command `" + verify.command() + "` fails (" + MissionSteps.exit(verify) + "); make it pass. "
                + (tail.isEmpty() ? "It printed nothing: run its parts to see which one fails."
                        : "The end of its output:\n" + tail), List.of()));
        all.addAll(found);
        return all;
    }

    private void addTodos(int iteration, List<Todo> todos, List<String> replaces) {
        MissionSteps.planProblems(recorder.state(), services.agents().keySet(), iteration, todos)
                .ifPresent(problem -> {
                    throw new MissionFailure(problem);
                });
        recorder.record(new TodosPlanned(iteration, todos, replaces, recorder.now()));
        index(todos);
        // a dropped todo counts as settled, so what waited on it may go now
        replaces.forEach(id -> candidates.addAll(dependents.getOrDefault(id, List.of())));
    }

    /** Adds {@code todos} to the dispatch index: each is a candidate, and each waits on its dependencies. */
    private void index(List<Todo> todos) {
        for (Todo todo : todos) {
            candidates.add(todo.id());
            todo.dependsOn().forEach(id -> dependents.computeIfAbsent(id, k -> new ArrayList<>()).add(todo.id()));
        }
    }

    /**
     * Asks the agent of {@code role} for its answer to {@code task}, on the Commander's thread. A passing failure
     * of its model calls puts the task back: the Commander waits out the backoff and asks again, as the same task,
     * so the calls it already made are answered from the journal.
     */
    private <R extends AgentResult> R expect(String role, Task task, Class<R> type) throws InterruptedException {
        while (true) {
            try {
                R answer;
                try {
                    answer = ask(role, task, type);
                } finally {
                    services.leases().releaseAll(task.id()); // what the Reviewer read, as a Worker's at its end
                }
                deferrals.succeeded(task.id());
                services.recorded().forget(task.id());
                return answer;
            } catch (LlmException e) {
                if (!e.isRetryable() || stop.isSet()) {
                    // named here: the catch in run() cannot tell the Planner's or Reviewer's call from the Commander's
                    throw new MissionFailure(describe(e, "agent '" + role + "' on " + task.id()));
                }
                Duration delay;
                try {
                    delay = deferrals.delay(task.id(), e);
                } catch (LlmException.PatienceExhausted exhausted) {
                    throw new MissionFailure(gaveUp(role, task.id(), exhausted));
                }
                recorder.record(deferred(task.id(), Optional.empty(), role, e, delay));
                TimeUnit.NANOSECONDS.sleep(delay.toNanos());
            }
        }
    }

    private <R extends AgentResult> R ask(String role, Task task, Class<R> type) {
        AgentResult result;
        try {
            result = services.agents().get(role).act(task, services.contextFor(role, task.id()));
        } catch (AgentGaveUp e) {
            throw new MissionFailure("agent '" + role + "' gave up on " + task.id() + ": " + e.getMessage());
        }
        if (!type.isInstance(result)) {
            throw new MissionFailure(wrongAnswer(role, task, result, type.getSimpleName()));
        }
        return type.cast(result);
    }

    private static String wrongAnswer(String role, Task task, AgentResult answer, String expected) {
        return "agent '" + role + "' answered " + task.getClass().getSimpleName() + " task " + task.id() + " with "
                + answer.getClass().getSimpleName() + "; it must answer with AgentResult." + expected;
    }

    /** The reason of a mission whose task {@code taskId} failed for longer than the call patience. */
    private static String gaveUp(String role, String taskId, LlmException.PatienceExhausted e) {
        return "agent '" + role + "' on " + taskId + " gave up: " + e.getMessage();
    }

    private static String describe(Throwable t, String who) {
        return switch (t) {
            case MissionFailure f -> f.getMessage();
            case JournalFailure f -> f.getMessage() + "; the mission stopped so that it can be resumed from the "
                    + "last durable event";
            case LlmException.AuthenticationFailed e -> "the model provider refused the credentials: "
                    + e.getMessage() + (e.getMessage().contains("API_KEY") ? "" : "; check the API key");
            case LlmException.QuotaExhausted e -> "the model provider's quota is exhausted: " + e.getMessage()
                    + "; add credit or raise the quota, then resume";
            case LlmException e -> "a model call of " + who + " failed: " + e.getMessage();
            case MissionStoppedException e -> e.getMessage();
            default -> who + " broke: " + t;
        };
    }

    /** Interrupts the workers still running and waits for each to report, so no thread outlives the mission. */
    private void stopWorkers() {
        running.values().forEach(Thread::interrupt);
        boolean interrupted = false;
        while (!running.isEmpty()) {
            try {
                settle(List.of(finished.take()));
            } catch (InterruptedException e) {
                interrupted = true;
            } catch (JournalFailure e) {
                // the mission already stops; what could not be recorded is simply not in the journal
                running.clear();
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private MissionResult finish() {
        // a cancel may have interrupted this thread; the last event must still be written
        Thread.interrupted();
        Stop end = stop.current().orElseGet(() -> new Stop(Outcome.FAILED, "the mission ended without a reason"));
        services.stopLimiterEvents();
        try {
            recorder.record(new MissionFinished(end.outcome(), end.reason(), recorder.now()));
        } catch (JournalFailure e) {
            end = new Stop(Outcome.FAILED, end.reason() + "; then " + e.getMessage());
        }
        services.saveMemory();
        return result(end);
    }

    private MissionResult result(Stop end) {
        Checkpoint checkpoint = recorder.checkpoint();
        MissionState state = checkpoint.state();
        Instant endedAt = state.finished().map(MissionFinished::at).orElseGet(recorder::now);
        Duration duration = state.startedAt().map(start -> Duration.between(start, endedAt)).orElse(Duration.ZERO);
        return new MissionResult(services.missionId(), end.outcome(), end.reason(), state.todoList(),
                state.openIssues(), state.usage(), checkpoint.usage().byRole(services.prices()),
                state.iteration(), duration);
    }
}
