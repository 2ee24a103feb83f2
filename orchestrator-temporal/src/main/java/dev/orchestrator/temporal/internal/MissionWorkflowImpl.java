package dev.orchestrator.temporal.internal;

import dev.orchestrator.api.Agent;
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
import dev.orchestrator.core.llm.ModelPrices;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * embedded engine's deferral. The retry answers the calls already made from the task's journal.
 */
public final class MissionWorkflowImpl implements MissionWorkflow {

    /** The change that sent tasks to the host of the mission's workspace instead of the shared queue. */
    private static final String HOSTS = "workspace-hosts";

    private final List<String> events = new ArrayList<>();
    private MissionSpec spec;
    private MissionSteps steps;
    private TaskActivities tasks;
    private End end;
    private CancellationScope work;

    @Override
    public MissionEnd run(MissionSpec spec) {
        this.spec = spec;
        this.steps = new MissionSteps(spec.goal(), spec.verifyCommand(), spec.maxIterations(), spec.maxAttempts(),
                Set.copyOf(spec.roles()));
        this.tasks = tasks(spec);
        record(new MissionStarted(spec.missionId(), spec.goal(), "temporal:" + spec.taskQueue(),
                spec.verifyCommand(), "", now()));
        // the mission's steps in a scope of their own, so that a cancel ends the activities under way too
        work = Workflow.newCancellationScope(this::steps);
        work.run();
        // a mission that ended with tasks under way (the budget, a failure) ends them too
        work.cancel("the mission ended");
        record(new MissionFinished(end.outcome(), end.reason(), now()));
        // the mission's own price overrides do not travel with it yet: its usage per role is priced by the SDK's table
        return new MissionEnd(Wire.result(steps.result(end, ModelPrices.defaults())), events.size());
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
        return new HostedTasks(spec, this::record);
    }

    private void steps() {
        try {
            if (!steps.hasBrief()) {
                String brief = expect(Agent.COMMANDER, steps.triage(), AgentResult.Brief.class).text();
                record(new BriefWritten(brief, now()));
            }
            if (end == null && !steps.hasPlan()) {
                addTodos(0, expect(Agent.PLANNER, steps.plan(), AgentResult.Plan.class).todos(), List.of());
            }
            while (end == null) {
                runReadyTodos();
                if (end == null) {
                    reviewAndFix();
                }
            }
        } catch (ActivityFailure failure) {
            stop(Outcome.FAILED, "a task failed for good: " + cause(failure));
        } catch (CanceledFailure cancelled) {
            stop(Outcome.CANCELLED, "cancelled");
        } catch (MissionFailed failed) {
            stop(Outcome.FAILED, failed.getMessage());
        }
    }

    @Override
    public List<String> events(int from) {
        return List.copyOf(events.subList(Math.min(from, events.size()), events.size()));
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
        Map<String, Running> running = new LinkedHashMap<>();
        while (end == null) {
            for (Task.Work task : steps.ready(running.keySet(), spec.maxParallelWorkers() - running.size())) {
                record(new TaskDispatched(task.todo().id(), task.attempt(), task.todo().role(), now()));
                running.put(task.todo().id(), new Running(task,
                        Async.function(tasks::act, order(task.todo().role(), task))));
            }
            if (running.isEmpty()) {
                return;
            }
            // wait_for_tasks: woken by the first result (or a cancel), never by a timer
            Workflow.await(() -> end != null || running.values().stream().anyMatch(r -> r.result.isCompleted()));
            // settled in dispatch order, which history fixes, so a replay settles them alike
            for (Iterator<Running> it = running.values().iterator(); it.hasNext() && end == null; ) {
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

    private void settle(Running running) {
        TaskOutcome outcome = running.result.get();
        recordTaskEvents(outcome);
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
        int iteration = steps.nextIteration();
        TaskOutcome verified = tasks.verify(order(Agent.REVIEWER, null));
        recordTaskEvents(verified);
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
        AgentResult answer = Wire.answer(outcome.answer());
        if (!type.isInstance(answer)) {
            throw new MissionFailed(wrongAnswer(role, task, answer, type.getSimpleName()));
        }
        return type.cast(answer);
    }

    private TaskOrder order(String role, Task task) {
        long left = Math.max(1, spec.maxTokens() - steps.usage().totalTokens());
        return TaskOrder.of(spec, role, task == null ? null : Wire.tag((Record) task), left);
    }

    private void recordTaskEvents(TaskOutcome outcome) {
        Wire.events(outcome.events()).forEach(this::record);
        long used = steps.usage().totalTokens();
        if (end == null && used >= spec.maxTokens()) {
            stop(Outcome.BUDGET_EXHAUSTED, "the budget of " + spec.maxTokens() + " tokens is spent (" + used
                    + " used); give the mission a larger budget with Mission.Builder.budget(...)");
        }
    }

    private void record(MissionEvent event) {
        steps.apply(event);
        events.add(Wire.event(event));
    }

    private void stop(Outcome outcome, String reason) {
        if (end == null) {
            end = new End(outcome, reason);
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

    /** The mission cannot go on: a plan it cannot use, an answer of the wrong kind. */
    private static final class MissionFailed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        MissionFailed(String message) {
            super(message);
        }
    }
}
