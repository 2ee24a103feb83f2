package dev.orchestrator.temporal.internal;

import dev.orchestrator.api.Agent;
import dev.orchestrator.api.Budget;
import dev.orchestrator.api.AgentResult;
import dev.orchestrator.api.Issue;
import dev.orchestrator.api.MissionEvent;
import dev.orchestrator.api.MissionEvent.BriefWritten;
import dev.orchestrator.api.MissionEvent.MissionFinished;
import dev.orchestrator.api.MissionEvent.MissionStarted;
import dev.orchestrator.api.MissionEvent.ReviewCompleted;
import dev.orchestrator.api.MissionEvent.TaskDispatched;
import dev.orchestrator.api.MissionEvent.TaskFinished;
import dev.orchestrator.api.MissionEvent.TodosPlanned;
import dev.orchestrator.api.MissionEvent.VerifyCompleted;
import dev.orchestrator.api.MissionResult.Outcome;
import dev.orchestrator.api.Task;
import dev.orchestrator.api.Todo;
import dev.orchestrator.api.VerifyResult;
import dev.orchestrator.core.internal.engine.MissionSteps;
import dev.orchestrator.core.internal.engine.MissionSteps.End;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The Commander's control loop as a workflow: triage, plan, dispatch every ready todo as an activity, wait until
 * one or more finish, verify, review, plan fixes, again, until {@link MissionSteps} says the mission is done or out
 * of iterations, the budget is spent, an activity fails for good, or the client cancels. Every decision is
 * {@link MissionSteps}'s, the embedded engine's; this class only runs the steps on Temporal. Deterministic: the
 * events it records are stamped with workflow time and folded in history order, so a replay rebuilds the same
 * state.
 *
 * <p>The tasks run on the worker that hosts the mission's workspace, and move with it when that worker is lost
 * ({@link HostedTasks}). A task whose model call fails for a passing reason is tried again after a backoff: the
 * embedded engine's deferral, which gives up, ending the mission, once the task's failures in a row would span more
 * than the call patience. The retry answers the calls already made from the task's journal.
 *
 * <p>A history past the mission's threshold (or one Temporal suggests ending) ends its run at the next moment no
 * task is under way: the run continues as a new one that starts from the state fold's checkpoint, on the same host
 * and at the same revision of the workspace, so a mission's length is not bounded by one history's.
 */
public final class MissionWorkflowImpl implements MissionWorkflow {

    /** The change that sent tasks to the host of the mission's workspace instead of the shared queue. */
    private static final String HOSTS = "workspace-hosts";

    /**
     * The change id of the workflow that carries the mission's terms (budget in dollars, prices, deadline, memory,
     * context), records the results that came in by the end, continues as new runs and keeps search attributes:
     * {@link Workflow#getVersion} gives a history recorded before it the old steps.
     */
    static final String FAITHFUL = "faithful-missions";

    /**
     * The change that records at the end what the tasks still under way did (their model calls count, as in the
     * embedded engine's journal) and sets aside the late answers of a host taken for lost.
     */
    static final String SETTLED = "settled-ends";

    /**
     * The change that bounds a task's passing failures in a row by the call patience, as the embedded engine does:
     * a history recorded before it tries such a task again until the mission ends.
     */
    static final String PATIENT = "patient-tasks";

    private final List<String> events = new ArrayList<>();
    // the todos under way, in dispatch order; a field, so that those under way at the end are settled too
    private final Map<String, Running> running = new LinkedHashMap<>();
    private MissionSpec spec;
    private MissionSpec orderSpec;
    private MissionSteps steps;
    private TaskActivities tasks;
    /** The tasks on the mission's host, or null for a mission whose tasks take the shared queue. */
    private HostedTasks hosted;
    private End end;
    private CancellationScope work;
    private boolean faithful;
    private boolean settled;
    private boolean patient;
    private MissionTerms terms;
    private MissionVisibility visibility;
    private int eventsBefore;
    private boolean continuing;

    @Override
    public MissionEnd run(MissionSpec spec) {
        this.spec = spec;
        // the tasks' orders carry the mission without the checkpoint a continued run began from
        this.orderSpec = spec.continued(null);
        this.steps = new MissionSteps(spec.goal(), spec.verifyCommand(), spec.maxIterations(), spec.maxAttempts(),
                Set.copyOf(spec.roles()));
        // each change asks for its version where it did when the histories of its time were recorded: all first
        this.faithful = Workflow.getVersion(FAITHFUL, Workflow.DEFAULT_VERSION, 1) >= 1;
        this.settled = Workflow.getVersion(SETTLED, Workflow.DEFAULT_VERSION, 1) >= 1;
        this.patient = Workflow.getVersion(PATIENT, Workflow.DEFAULT_VERSION, 1) >= 1;
        this.terms = new MissionTerms(spec);
        this.visibility = new MissionVisibility(faithful && spec.termsOrNone().searchAttributes());
        this.tasks = tasks(spec);
        MissionSpec.Chain chain = spec.chain();
        if (chain != null && chain.checkpoint() != null) {
            steps.restore(chain.checkpoint());
            eventsBefore = chain.eventsBefore();
            visibility.started(spec.missionId());
        } else {
            record(new MissionStarted(spec.missionId(), spec.goal(), "temporal:" + spec.taskQueue(),
                    spec.verifyCommand(), spec.termsOrNone().memory(), spec.termsOrNone().context(), now()));
        }
        // the mission's steps in a scope of their own, so that a cancel ends the activities under way too
        work = Workflow.newCancellationScope(this::steps);
        if (faithful) {
            terms.watchDeadline(chain, () -> {
                stop(steps.deadlinePassed(terms.deadline()));
                work.cancel("the deadline passed");
            });
        }
        work.run();
        if (continuing) {
            Workflow.continueAsNew(spec.continued(new MissionSpec.Chain(chain.continueAfterEvents(),
                    steps.checkpoint(), eventsBefore + events.size(), terms.deadlineAt(),
                    hosted == null ? null : hosted.hostQueue(), hosted == null ? null : hosted.revision())));
        }
        // a mission that ended with tasks under way (the budget, a failure) ends them too
        work.cancel("the mission ended");
        if (settled && !running.values().stream().allMatch(r -> r.result.isCompleted())) {
            // each reports what it did by then: at its next heartbeat, or at its heartbeat timeout if its host is
            // gone; a task still saving its workspace after that is left out of the record, not waited for
            Workflow.await(Duration.ofMillis(3 * spec.heartbeatMillis()),
                    () -> running.values().stream().allMatch(r -> r.result.isCompleted()));
        }
        if (faithful) {
            settleLeftovers();
        }
        record(new MissionFinished(end.outcome(), end.reason(), now()));
        visibility.finished(end.outcome());
        return new MissionEnd(Wire.result(steps.result(end, terms.prices())), eventsBefore + events.size());
    }

    /**
     * The mission's tasks: on the worker that hosts its workspace ({@link HostedTasks}); a mission started before
     * there were hosts keeps the shared queue, so that its history replays.
     */
    private TaskActivities tasks(MissionSpec spec) {
        if (Workflow.getVersion(HOSTS, Workflow.DEFAULT_VERSION, 1) == Workflow.DEFAULT_VERSION) {
            return Workflow.newActivityStub(TaskActivities.class,
                    HostedTasks.taskOptions(spec, spec.taskQueue()).build());
        }
        hosted = new HostedTasks(spec, this::record, settled, patient ? terms.callPatience() : Optional.empty());
        return hosted;
    }

    private void steps() {
        try {
            if (!steps.hasBrief()) {
                visibility.state(MissionVisibility.TRIAGE);
                String brief = expect(Agent.COMMANDER, steps.triage(), AgentResult.Brief.class).text();
                record(new BriefWritten(brief, now()));
            }
            if (end == null && !steps.hasPlan()) {
                visibility.state(MissionVisibility.PLANNING);
                addTodos(0, expect(Agent.PLANNER, steps.plan(), AgentResult.Plan.class).todos(), List.of());
            }
            while (end == null && !continuing) {
                runReadyTodos();
                if (end == null && !continuing) {
                    reviewAndFix();
                }
            }
        } catch (ActivityFailure failure) {
            stop(Outcome.FAILED, "a task failed for good: " + cause(failure));
        } catch (CanceledFailure cancelled) {
            stop(Outcome.CANCELLED, "cancelled");
        } catch (MissionFailed failed) {
            stop(Outcome.FAILED, failed.getMessage());
        } catch (TaskStopped stopped) {
            // the task stopped for the budget, which its events already ended the mission for, or the end itself
            stop(Outcome.FAILED, stopped.getMessage());
        }
    }

    @Override
    public EventPage events(int from) {
        int start = Math.min(Math.max(0, from - eventsBefore), events.size());
        return new EventPage(eventsBefore, events.subList(start, events.size()),
                Workflow.getInfo().getContinuedExecutionRunId().orElse(null));
    }

    @Override
    public void cancel(String reason) {
        stop(Outcome.CANCELLED, reason);
        if (work != null) {
            work.cancel(reason);
        }
    }

    /** Dispatches ready todos as activities and settles them as they finish, until none is running. */
    private void runReadyTodos() {
        visibility.state(MissionVisibility.WORKING);
        while (end == null) {
            if (historyFull()) {
                // no new task: the run continues as a new one once those under way are settled
                continuing = running.isEmpty();
            } else {
                for (Task.Work task : steps.ready(running.keySet(), spec.maxParallelWorkers() - running.size())) {
                    record(new TaskDispatched(task.todo().id(), task.attempt(), task.todo().role(), now()));
                    running.put(task.todo().id(), new Running(task,
                            Async.function(tasks::act, order(task.todo().role(), task))));
                }
            }
            if (running.isEmpty()) {
                return;
            }
            // wait_for_tasks: woken by the first result (or a cancel), never by a timer
            Workflow.await(() -> end != null || running.values().stream().anyMatch(r -> r.result.isCompleted()));
            // settled in dispatch order, which history fixes, so a replay settles them alike
            // (the first workflow settled none after the end: what finished with the last one was dropped)
            for (Iterator<Running> it = running.values().iterator(); it.hasNext() && (faithful || end == null); ) {
                Running r = it.next();
                if (r.result.isCompleted()) {
                    it.remove();
                    settle(r);
                }
            }
        }
    }

    private record Running(Task.Work task, Promise<TaskOutcome> result) {
    }

    /**
     * Whether the history is long enough that the mission should continue as a new run: past the mission's
     * threshold, or where Temporal suggests it. A run first records something of its own, so that it makes progress
     * however low the threshold.
     */
    private boolean historyFull() {
        if (!faithful || events.isEmpty() || spec.chain() == null) {
            return false;
        }
        int threshold = spec.chain().continueAfterEvents();
        return threshold > 0 && Workflow.getInfo().getHistoryLength() >= threshold
                || Workflow.getInfo().isContinueAsNewSuggested();
    }

    /**
     * Records the results of the tasks that finished by the time the mission ended, as the embedded engine records
     * the end of every worker that reports after the stop, and what the tasks cancelled at the end did by then (their
     * journal, with no answer). In a workflow from before {@link #SETTLED}, what those did is not recorded.
     */
    private void settleLeftovers() {
        for (Running r : running.values()) {
            if (r.result.isCompleted() && r.result.getFailure() == null) {
                try {
                    settle(r);
                } catch (MissionFailed ignored) {
                    // a wrong answer after the end changes nothing: the mission has ended already
                }
            }
        }
        running.clear();
    }

    private void settle(Running running) {
        TaskOutcome outcome = running.result.get();
        recordTaskEvents(outcome);
        failIfGaveUp(outcome);
        if (stopped(outcome)) {
            return;
        }
        String todoId = running.task.todo().id();
        switch (Wire.answer(outcome.answer())) {
            case AgentResult.Done done -> record(new TaskFinished(todoId, running.task.attempt(), true,
                    done.summary(), now()));
            case AgentResult.Failed failed -> record(new TaskFinished(todoId, running.task.attempt(), false,
                    failed.reason(), now()));
            case AgentResult other -> throw new MissionFailed(wrongAnswer(running.task.todo().role(), running.task,
                    other, "Done or AgentResult.Failed"));
        }
    }

    /** One review cycle: verify, review, the completion gate, the Commander's fixes. */
    private void reviewAndFix() {
        visibility.state(MissionVisibility.REVIEWING);
        int iteration = steps.nextIteration();
        TaskOutcome verified = tasks.verify(order(Agent.REVIEWER, null));
        recordTaskEvents(verified);
        if (stopped(verified)) {
            throw new TaskStopped(verified.answer().json());
        }
        VerifyResult verify = Wire.verify(verified.answer().json());
        record(new VerifyCompleted(iteration, verify, now()));
        List<Issue> issues = MissionSteps.withVerifyIssue(
                expect(Agent.REVIEWER, steps.review(iteration, verify), AgentResult.Verdict.class).issues(), verify);
        record(new ReviewCompleted(iteration, issues, now()));
        if (end != null) {
            return;
        }
        var judged = steps.judge(iteration, verify, issues);
        if (judged.isPresent()) {
            stop(judged.get().outcome(), judged.get().reason());
            return;
        }
        Task.Fix fix = steps.fix(iteration, issues, verify);
        List<Todo> fixes = expect(Agent.COMMANDER, fix, AgentResult.Plan.class).todos();
        addTodos(iteration, fixes, fix.failed().stream().map(t -> t.todo().id()).toList());
    }

    private void addTodos(int iteration, List<Todo> todos, List<String> replaces) {
        if (end != null) {
            return;
        }
        steps.planProblems(iteration, todos).ifPresent(problem -> {
            throw new MissionFailed(problem);
        });
        record(new TodosPlanned(iteration, todos, replaces, now()));
    }

    /** Runs {@code task} as an activity and waits for the agent's answer, which must be a {@code type}. */
    private <R extends AgentResult> R expect(String role, Task task, Class<R> type) {
        TaskOutcome outcome = tasks.act(order(role, task));
        recordTaskEvents(outcome);
        failIfGaveUp(outcome);
        if (stopped(outcome)) {
            throw new TaskStopped(outcome.answer().json());
        }
        AgentResult answer = Wire.answer(outcome.answer());
        if (!type.isInstance(answer)) {
            throw new MissionFailed(wrongAnswer(role, task, answer, type.getSimpleName()));
        }
        return type.cast(answer);
    }

    private TaskOrder order(String role, Task task) {
        Budget left = steps.left(terms.budget(), terms.prices());
        return TaskOrder.of(orderSpec, role, task == null ? null : Wire.tag((Record) task), left.maxTokens(),
                left.maxDollars().map(BigDecimal::toPlainString).orElse(null),
                faithful ? steps.memoryNotes() : null);
    }

    /** Records the task's events; the mission stops if they spent its budget, as the embedded engine's would. */
    private void recordTaskEvents(TaskOutcome outcome) {
        Wire.events(outcome.events()).forEach(this::record);
        if (end == null) {
            steps.spent(terms.budget(), terms.prices()).ifPresent(this::stop);
        }
    }

    /** Ends the mission if the task gave up, its model calls having failed for longer than the call patience. */
    private static void failIfGaveUp(TaskOutcome outcome) {
        if (HostedTasks.GAVE_UP.equals(outcome.answer().kind())) {
            throw new MissionFailed(outcome.answer().json());
        }
    }

    /** Whether the task stopped without an answer because the mission is ending. */
    private static boolean stopped(TaskOutcome outcome) {
        return TaskActivitiesImpl.STOPPED.equals(outcome.answer().kind());
    }

    private void record(MissionEvent event) {
        steps.apply(event);
        events.add(Wire.event(event));
    }

    private void stop(Outcome outcome, String reason) {
        stop(new End(outcome, reason));
    }

    private void stop(End reason) {
        if (end == null) {
            end = reason;
        }
    }

    private Instant now() {
        return Instant.ofEpochMilli(Workflow.currentTimeMillis());
    }

    /** The failure of the task itself, below Temporal's wrapping, in words. */
    private static String cause(TemporalFailure failure) {
        String said = failure.getMessage();
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ApplicationFailure app) {
                said = app.getOriginalMessage() + " (" + app.getType() + ")";
            }
        }
        return said;
    }

    private static String wrongAnswer(String role, Task task, AgentResult answer, String expected) {
        return "agent '" + role + "' answered " + task.getClass().getSimpleName() + " task " + task.id() + " with "
                + answer.getClass().getSimpleName() + "; it must answer with AgentResult." + expected;
    }

    /** A task stopped without an answer because the mission is ending. */
    private static final class TaskStopped extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TaskStopped(String message) {
            super(message);
        }
    }

    /** The mission cannot go on: a plan it cannot use, an answer of the wrong kind, a task that gave up. */
    private static final class MissionFailed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        MissionFailed(String message) {
            super(message);
        }
    }
}
