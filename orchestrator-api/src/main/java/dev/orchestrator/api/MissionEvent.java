package dev.orchestrator.api;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A state change of a mission. Every event is appended to the mission's {@link Journal} before it takes effect or
 * reaches a {@link MissionListener}; the mission's state is a fold over its events, so replaying them rebuilds it.
 *
 * <p>New kinds of event may be added in later versions: a {@code switch} over events should have a default branch.
 */
public sealed interface MissionEvent {

    /** {@return when it happened, by the mission's clock} */
    Instant at();

    /**
     * The mission began.
     *
     * @param missionId the mission's id
     * @param goal its goal
     * @param workspace its workspace directory
     * @param verifyCommand the command that verifies the work
     * @param memory the project memory as the mission found it
     * @param context what the mission's listeners keep for its later runs ({@link MissionListener#missionContext()})
     * @param at when it happened, by the mission's clock
     */
    record MissionStarted(String missionId, String goal, String workspace, String verifyCommand, String memory,
            Map<String, String> context, Instant at) implements MissionEvent {
        /** Checks the fields are present and copies the context; a journal written before it had none. */
        public MissionStarted {
            Objects.requireNonNull(missionId, "missionId");
            Objects.requireNonNull(goal, "goal");
            Objects.requireNonNull(workspace, "workspace");
            Objects.requireNonNull(verifyCommand, "verifyCommand");
            Objects.requireNonNull(memory, "memory");
            context = context == null ? Map.of() : Map.copyOf(context);
            Objects.requireNonNull(at, "at");
        }

        /**
         * A mission started with no listener context.
         *
         * @param missionId the mission's id
         * @param goal its goal
         * @param workspace its workspace directory
         * @param verifyCommand the command that verifies the work
         * @param memory the project memory as the mission found it
         * @param at when it happened, by the mission's clock
         */
        public MissionStarted(String missionId, String goal, String workspace, String verifyCommand, String memory,
                Instant at) {
            this(missionId, goal, workspace, verifyCommand, memory, Map.of(), at);
        }
    }

    /**
     * A mission whose journal already held events started again, after a crash or a stop: it goes on from the
     * state those events describe, and model and tool calls already recorded are answered from the journal.
     *
     * @param eventsReplayed how many events the journal held
     * @param tasksResumed the todos that were running and are taken up again from their last recorded turn
     * @param at when it happened, by the mission's clock
     */
    record MissionResumed(long eventsReplayed, List<String> tasksResumed, Instant at) implements MissionEvent {
        /** Copies the list. */
        public MissionResumed {
            tasksResumed = List.copyOf(tasksResumed);
            Objects.requireNonNull(at, "at");
        }
    }

    /**
     * A mission that had ended without completing (failed, out of budget, at its iteration limit or cancelled) was
     * run again on its journal: it goes on from where it stopped, with the settings of this run (provider, key,
     * budget, limits). Model and tool calls already recorded stay answered from the journal; the call that failed
     * goes out again. A completed mission is not reopened: running it again returns its result.
     *
     * @param previousOutcome how the mission had ended
     * @param previousReason why, in words
     * @param at when it was reopened
     */
    record MissionReopened(MissionResult.Outcome previousOutcome, String previousReason, Instant at)
            implements MissionEvent {
        /** Checks the fields are present. */
        public MissionReopened {
            Objects.requireNonNull(previousOutcome, "previousOutcome");
            Objects.requireNonNull(previousReason, "previousReason");
            Objects.requireNonNull(at, "at");
        }
    }

    /**
     * The Commander wrote the brief for the Planner.
     *
     * @param brief the brief
     * @param at when it happened, by the mission's clock
     */
    record BriefWritten(String brief, Instant at) implements MissionEvent {
        /** Checks the fields are present. */
        public BriefWritten {
            Objects.requireNonNull(brief, "brief");
            Objects.requireNonNull(at, "at");
        }
    }

    /**
     * Todos were added: the plan (iteration 0) or the fixes after review {@code iteration}.
     *
     * @param iteration 0 for the plan, else the review the fixes answer
     * @param todos the new todos
     * @param replaces the ids of failed todos that the new ones replace; they are not tried again
     * @param at when it happened, by the mission's clock
     */
    record TodosPlanned(int iteration, List<Todo> todos, List<String> replaces, Instant at) implements MissionEvent {
        /** Copies the lists. */
        public TodosPlanned {
            todos = List.copyOf(todos);
            replaces = List.copyOf(replaces);
            Objects.requireNonNull(at, "at");
        }
    }

    /**
     * A todo was handed to an agent.
     *
     * @param todoId the todo
     * @param attempt 1 for the first attempt
     * @param role the role of the agent
     * @param at when it happened, by the mission's clock
     */
    record TaskDispatched(String todoId, int attempt, String role, Instant at) implements MissionEvent {
        /** Checks the fields are present. */
        public TaskDispatched {
            Objects.requireNonNull(todoId, "todoId");
            Objects.requireNonNull(role, "role");
            Objects.requireNonNull(at, "at");
        }
    }

    /**
     * Several todos were handed to agents at one instant: a dispatch wave, recorded in the journal as one event so
     * that a fan-out of thousands of Workers costs a few journal records and state changes rather than one each. It
     * means exactly what a {@link TaskDispatched} for each of its tasks, in order, means.
     *
     * <p>Listeners never receive it: they get one {@link TaskDispatched} per task ({@link #each()}), each with the
     * progress after the whole wave. Code that reads a journal's events itself (replay) sees it, and journals written
     * before it hold one {@link TaskDispatched} per task instead.
     *
     * @param tasks the todos dispatched, in order; at least one
     * @param at when it happened, by the mission's clock
     */
    record TasksDispatched(List<Dispatch> tasks, Instant at) implements MissionEvent {
        /** Checks the fields are present and copies the list. */
        public TasksDispatched {
            tasks = List.copyOf(tasks);
            if (tasks.isEmpty()) {
                throw new IllegalArgumentException("a dispatch wave holds at least one task");
            }
            Objects.requireNonNull(at, "at");
        }

        /**
         * One todo of the wave.
         *
         * @param todoId the todo
         * @param attempt 1 for the first attempt
         * @param role the role of the agent
         */
        public record Dispatch(String todoId, int attempt, String role) {
            /** Checks the fields are present. */
            public Dispatch {
                Objects.requireNonNull(todoId, "todoId");
                Objects.requireNonNull(role, "role");
            }
        }

        /** {@return the wave as one {@link TaskDispatched} per task, in order, each at the wave's instant} */
        public List<TaskDispatched> each() {
            return tasks.stream().map(t -> new TaskDispatched(t.todoId(), t.attempt(), t.role(), at)).toList();
        }
    }

    /**
     * A model call completed.
     *
     * @param callId the call's deterministic id: mission, task and turn
     * @param taskId the task that made it
     * @param role the role of the agent that made it
     * @param response the full response, usage included
     * @param requestHash a hash of the request the agent made (SHA-256 of its canonical form, in hex), which a resumed
     *     mission compares before it answers the call from the journal; empty in journals written before it was
     *     recorded, where the recorded response is trusted
     * @param at when it happened, by the mission's clock
     */
    record LlmCallCompleted(String callId, String taskId, String role, ChatResponse response,
            Optional<String> requestHash, Instant at) implements MissionEvent {
        /** Checks the fields are present. */
        public LlmCallCompleted {
            Objects.requireNonNull(callId, "callId");
            Objects.requireNonNull(taskId, "taskId");
            Objects.requireNonNull(role, "role");
            Objects.requireNonNull(response, "response");
            Objects.requireNonNull(requestHash, "requestHash");
            Objects.requireNonNull(at, "at");
        }

        /**
         * A completed call whose request is not known.
         *
         * @param callId the call's deterministic id: mission, task and turn
         * @param taskId the task that made it
         * @param role the role of the agent that made it
         * @param response the full response, usage included
         * @param at when it happened, by the mission's clock
         */
        public LlmCallCompleted(String callId, String taskId, String role, ChatResponse response, Instant at) {
            this(callId, taskId, role, response, Optional.empty(), at);
        }
    }

    /**
     * A resumed task asked a model call something other than what the journal recorded for it (a prompt or a tool
     * changed between runs), so the conversation has diverged: this call and every later call of the task go to the
     * model instead of being answered from the journal.
     *
     * @param callId the call's deterministic id, where the task diverged
     * @param taskId the task
     * @param at when it happened, by the mission's clock
     */
    record ReplayDiverged(String callId, String taskId, Instant at) implements MissionEvent {
        /** Checks the fields are present. */
        public ReplayDiverged {
            Objects.requireNonNull(callId, "callId");
            Objects.requireNonNull(taskId, "taskId");
            Objects.requireNonNull(at, "at");
        }
    }

    /**
     * A model call failed for good.
     *
     * @param callId the call's deterministic id
     * @param taskId the task that made it
     * @param role the role of the agent that made it; empty in journals written before it was recorded
     * @param error the failure's class and message
     * @param at when it happened, by the mission's clock
     */
    record LlmCallFailed(String callId, String taskId, String role, String error, Instant at) implements MissionEvent {
        /** Checks the fields are present. */
        public LlmCallFailed {
            Objects.requireNonNull(callId, "callId");
            Objects.requireNonNull(taskId, "taskId");
            Objects.requireNonNull(role, "role");
            Objects.requireNonNull(error, "error");
            Objects.requireNonNull(at, "at");
        }
    }

    /**
     * A model call failed for a passing reason and will be sent again after {@code delay}.
     *
     * @param taskId the task that made it
     * @param attempt the attempt that failed, from 1
     * @param delay the wait before the next attempt
     * @param error the failure's class and message
     * @param at when it happened, by the mission's clock
     */
    record CallRetried(String taskId, int attempt, Duration delay, String error, Instant at) implements MissionEvent {
        /** Checks the fields are present. */
        public CallRetried {
            Objects.requireNonNull(taskId, "taskId");
            Objects.requireNonNull(delay, "delay");
            Objects.requireNonNull(error, "error");
            Objects.requireNonNull(at, "at");
        }
    }

    /**
     * A model call waited for the rate limiter before it could be sent.
     *
     * @param limiter the limiter: provider, model and quota id
     * @param waited how long it waited
     * @param at when it happened, by the mission's clock
     */
    record CallWaited(String limiter, Duration waited, Instant at) implements MissionEvent {
        /** Checks the fields are present. */
        public CallWaited {
            Objects.requireNonNull(limiter, "limiter");
            Objects.requireNonNull(waited, "waited");
            Objects.requireNonNull(at, "at");
        }
    }

    /**
     * What a provider's limiter learned changed: the concurrency limit was cut after a rate limit or overload, raised
     * by one whole call after successes, or paused until a time the provider asked for; or the pacer learned the
     * request or token rate the provider allows (cause {@code PACED}). The last one in the journal is where a resumed
     * mission's limiter and pacer start, so that a resume does not meet the rate limits the mission already learned.
     *
     * @param limiter the limiter: provider, model and quota id
     * @param limit the new limit; its integer part is the number of calls sent at once
     * @param pausedUntil when admissions resume, if they are paused
     * @param cause what changed it, such as {@code RATE_LIMITED}, {@code RETRY_AFTER} or {@code PACED}
     * @param requestsPerMinute the request rate the pacer learned from the provider's refusals or limit headers, 0
     *     while it knows none
     * @param tokensPerMinute the token rate the pacer learned likewise, 0 while it knows none
     * @param at when it happened, by the mission's clock
     */
    record ConcurrencyChanged(String limiter, double limit, Optional<Instant> pausedUntil, String cause,
            double requestsPerMinute, double tokensPerMinute, Instant at) implements MissionEvent {
        /** Checks the fields are present and the rates are not negative. */
        public ConcurrencyChanged {
            Objects.requireNonNull(limiter, "limiter");
            Objects.requireNonNull(pausedUntil, "pausedUntil");
            Objects.requireNonNull(cause, "cause");
            Objects.requireNonNull(at, "at");
            if (!(requestsPerMinute >= 0 && tokensPerMinute >= 0)) {
                throw new IllegalArgumentException("requestsPerMinute and tokensPerMinute must be at least 0 (0 for"
                        + " not known), were " + requestsPerMinute + " and " + tokensPerMinute);
            }
        }

        /**
         * A change that says nothing of the pacer's rates, as journals written before they were recorded: both 0.
         *
         * @param limiter the limiter: provider, model and quota id
         * @param limit the new limit
         * @param pausedUntil when admissions resume, if they are paused
         * @param cause what changed it
         * @param at when it happened, by the mission's clock
         */
        public ConcurrencyChanged(String limiter, double limit, Optional<Instant> pausedUntil, String cause,
                Instant at) {
            this(limiter, limit, pausedUntil, cause, 0, 0, at);
        }
    }

    /**
     * A provider's calls wait: admissions are paused, or spaced out to stay within its rate, until {@code until}.
     * Calls made meanwhile queue and go when it ends; nothing else happens at that provider until then.
     *
     * @param limiter the limiter: provider, model and quota id
     * @param cause why, such as {@code RETRY_AFTER} (the provider said when to come back) or
     *     {@code QUOTA_NEARLY_USED}
     * @param until when calls go again
     * @param queued how many calls were waiting when the pause began
     * @param at when it happened, by the mission's clock
     */
    record CallsPaused(String limiter, String cause, Instant until, int queued, Instant at) implements MissionEvent {
        /** Checks the fields are present. */
        public CallsPaused {
            Objects.requireNonNull(limiter, "limiter");
            Objects.requireNonNull(cause, "cause");
            Objects.requireNonNull(until, "until");
            Objects.requireNonNull(at, "at");
        }
    }

    /**
     * A tool call began.
     *
     * @param callId the call's deterministic id: mission, task, turn and index
     * @param taskId the task that made it
     * @param tool the tool's name
     * @param arguments the arguments as the model wrote them
     * @param at when it happened, by the mission's clock
     */
    record ToolCallStarted(String callId, String taskId, String tool, String arguments, Instant at)
            implements MissionEvent {
        /** Checks the fields are present. */
        public ToolCallStarted {
            Objects.requireNonNull(callId, "callId");
            Objects.requireNonNull(taskId, "taskId");
            Objects.requireNonNull(tool, "tool");
            Objects.requireNonNull(arguments, "arguments");
            Objects.requireNonNull(at, "at");
        }
    }

    /**
     * A tool call completed.
     *
     * @param callId the call's deterministic id
     * @param taskId the task that made it
     * @param tool the tool's name
     * @param result what it returned to the model
     * @param at when it happened, by the mission's clock
     */
    record ToolCallCompleted(String callId, String taskId, String tool, ToolResult result, Instant at)
            implements MissionEvent {
        /** Checks the fields are present. */
        public ToolCallCompleted {
            Objects.requireNonNull(callId, "callId");
            Objects.requireNonNull(taskId, "taskId");
            Objects.requireNonNull(tool, "tool");
            Objects.requireNonNull(result, "result");
            Objects.requireNonNull(at, "at");
        }
    }

    /**
     * A shell command's process started, in the sandbox or not, journaled before the command may run. A resumed
     * mission ends what is left of the session it leads (identified by the pid and the start time, which together
     * survive pid reuse) before going on.
     *
     * @param pid the process id of the command's session leader
     * @param processStart when that process started, as the operating system reports it
     * @param at when it happened, by the mission's clock
     */
    record CommandStarted(long pid, Instant processStart, Instant at) implements MissionEvent {
        /** Checks the fields are present. */
        public CommandStarted {
            Objects.requireNonNull(processStart, "processStart");
            Objects.requireNonNull(at, "at");
        }
    }

    /**
     * An attempt at a todo ended.
     *
     * @param todoId the todo
     * @param attempt which attempt
     * @param succeeded whether it was done
     * @param summary what was done, or why it failed
     * @param at when it happened, by the mission's clock
     */
    record TaskFinished(String todoId, int attempt, boolean succeeded, String summary, Instant at)
            implements MissionEvent {
        /** Checks the fields are present. */
        public TaskFinished {
            Objects.requireNonNull(todoId, "todoId");
            Objects.requireNonNull(summary, "summary");
            Objects.requireNonNull(at, "at");
        }
    }

    /**
     * A task could not go on for a passing reason (a model call failed transiently even after its retries) and
     * is put back to be taken up again at {@code retryAt}. It uses up none of the todo's attempts: the same
     * attempt is taken up again, and the calls it already made are answered from the journal.
     *
     * @param taskId the task, such as {@code todo-3#1}, {@code triage} or {@code review-2}
     * @param todoId the todo, when the task is one
     * @param role the role of the agent that was doing it
     * @param reason what failed
     * @param retryAt when the task is taken up again
     * @param at when it happened, by the mission's clock
     */
    record TaskDeferred(String taskId, Optional<String> todoId, String role, String reason, Instant retryAt,
            Instant at) implements MissionEvent {
        /** Checks the fields are present. */
        public TaskDeferred {
            Objects.requireNonNull(taskId, "taskId");
            Objects.requireNonNull(todoId, "todoId");
            Objects.requireNonNull(role, "role");
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(retryAt, "retryAt");
            Objects.requireNonNull(at, "at");
        }
    }

    /**
     * The verify command ran before review {@code iteration}.
     *
     * @param iteration the review's number, from 1
     * @param result what it did
     * @param at when it happened, by the mission's clock
     */
    record VerifyCompleted(int iteration, VerifyResult result, Instant at) implements MissionEvent {
        /** Checks the fields are present. */
        public VerifyCompleted {
            Objects.requireNonNull(result, "result");
            Objects.requireNonNull(at, "at");
        }
    }

    /**
     * The Reviewer gave its verdict.
     *
     * @param iteration the review's number, from 1
     * @param issues the issues still open
     * @param at when it happened, by the mission's clock
     */
    record ReviewCompleted(int iteration, List<Issue> issues, Instant at) implements MissionEvent {
        /** Copies the list. */
        public ReviewCompleted {
            issues = List.copyOf(issues);
            Objects.requireNonNull(at, "at");
        }
    }

    /**
     * An agent reported progress.
     *
     * @param taskId the task
     * @param role the agent's role
     * @param text the note
     * @param at when it happened, by the mission's clock
     */
    record AgentNote(String taskId, String role, String text, Instant at) implements MissionEvent {
        /** Checks the fields are present. */
        public AgentNote {
            Objects.requireNonNull(taskId, "taskId");
            Objects.requireNonNull(role, "role");
            Objects.requireNonNull(text, "text");
            Objects.requireNonNull(at, "at");
        }
    }

    /**
     * An agent added a note to the project memory.
     *
     * @param note the note
     * @param at when it happened, by the mission's clock
     */
    record MemoryNoted(String note, Instant at) implements MissionEvent {
        /** Checks the fields are present. */
        public MemoryNoted {
            Objects.requireNonNull(note, "note");
            Objects.requireNonNull(at, "at");
        }
    }

    /**
     * The mission ended.
     *
     * @param outcome how
     * @param reason why, in words
     * @param at when it happened, by the mission's clock
     */
    record MissionFinished(MissionResult.Outcome outcome, String reason, Instant at) implements MissionEvent {
        /** Checks the fields are present. */
        public MissionFinished {
            Objects.requireNonNull(outcome, "outcome");
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(at, "at");
        }
    }
}
