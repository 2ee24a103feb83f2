package dev.orchestrator.api;

import java.util.List;
import java.util.Objects;

/**
 * What an {@link Agent} is asked to do. The engine's control loop hands each kind to one role: {@link Triage} and
 * {@link Fix} to the {@value Agent#COMMANDER}, {@link Plan} to the {@value Agent#PLANNER}, {@link Work} to the
 * todo's role (a {@value Agent#WORKER} by default), {@link Review} to the {@value Agent#REVIEWER}.
 */
public sealed interface Task {

    /**
     * An id that names this task in the mission and stays the same when a crashed mission is resumed, so that
     * the calls it made can be found again in the journal.
     *
     * @return the task's id, such as {@code plan} or {@code todo-3#1}
     */
    String id();

    /** {@return the mission's goal} */
    String goal();

    /**
     * Read the goal and the project memory, and write the brief the Planner gets. Answer with
     * {@link AgentResult.Brief}.
     *
     * @param goal the mission's goal
     * @param memory what earlier missions found worth keeping, possibly empty
     */
    record Triage(String goal, String memory) implements Task {
        /** Checks the fields are present. */
        public Triage {
            Objects.requireNonNull(goal, "goal");
            Objects.requireNonNull(memory, "memory");
        }

        @Override
        public String id() {
            return "triage";
        }
    }

    /**
     * Write the plan. Answer with {@link AgentResult.Plan}.
     *
     * @param goal the mission's goal
     * @param brief the Commander's brief
     * @param memory what earlier missions found worth keeping, possibly empty
     */
    record Plan(String goal, String brief, String memory) implements Task {
        /** Checks the fields are present. */
        public Plan {
            Objects.requireNonNull(goal, "goal");
            Objects.requireNonNull(brief, "brief");
            Objects.requireNonNull(memory, "memory");
        }

        @Override
        public String id() {
            return "plan";
        }
    }

    /**
     * Do one todo. Answer with {@link AgentResult.Done} or {@link AgentResult.Failed}.
     *
     * @param goal the mission's goal
     * @param todo the todo
     * @param attempt 1 for the first attempt, 2 for the first retry, …
     */
    record Work(String goal, Todo todo, int attempt) implements Task {
        /** Checks the fields are present. */
        public Work {
            Objects.requireNonNull(goal, "goal");
            Objects.requireNonNull(todo, "todo");
            if (attempt < 1) {
                throw new IllegalArgumentException("attempt starts at 1, was " + attempt);
            }
        }

        @Override
        public String id() {
            return todo.id() + "#" + attempt;
        }
    }

    /**
     * Review the work after the verify command ran. Answer with {@link AgentResult.Verdict}: the issues still
     * open, none when the goal is met.
     *
     * @param goal the mission's goal
     * @param iteration the review's number, from 1
     * @param todos every todo and where it stands
     * @param verify what the verify command did
     */
    record Review(String goal, int iteration, List<TodoStatus> todos, VerifyResult verify) implements Task {
        /** Checks the fields are present and copies the list. */
        public Review {
            Objects.requireNonNull(goal, "goal");
            todos = List.copyOf(todos);
            Objects.requireNonNull(verify, "verify");
        }

        @Override
        public String id() {
            return "review-" + iteration;
        }
    }

    /**
     * Decide what to do about a review's findings and the todos that failed. Answer with
     * {@link AgentResult.Plan}: the todos that fix them, which replace the failed ones and carry their work. An
     * empty plan drops the failed todos; a dropped todo is work not done, so the mission does not complete and
     * the next review hands it back.
     *
     * @param goal the mission's goal
     * @param iteration the number of the review that found them
     * @param issues the open issues
     * @param todos every todo and where it stands; the new todos' ids must differ from all of these
     * @param verify what the verify command did
     */
    record Fix(String goal, int iteration, List<Issue> issues, List<TodoStatus> todos, VerifyResult verify)
            implements Task {
        /** Checks the fields are present and copies the lists. */
        public Fix {
            Objects.requireNonNull(goal, "goal");
            issues = List.copyOf(issues);
            todos = List.copyOf(todos);
            Objects.requireNonNull(verify, "verify");
        }

        @Override
        public String id() {
            return "fix-" + iteration;
        }

        /**
         * The todos whose last attempt failed, and those an earlier fix dropped without a replacement: the fixes
         * replace them. Left without a replacement, they are dropped and the mission cannot complete.
         *
         * @return those todos
         */
        public List<TodoStatus> failed() {
            return todos.stream().filter(t -> t.state() == TodoStatus.State.FAILED
                    || t.state() == TodoStatus.State.DROPPED).toList();
        }
    }
}
