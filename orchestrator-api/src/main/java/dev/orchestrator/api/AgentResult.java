package dev.orchestrator.api;

import java.util.List;
import java.util.Objects;

/** What an {@link Agent} answers; which kind depends on the {@link Task} it was given. */
public sealed interface AgentResult {

    /**
     * The Commander's brief for the Planner, answering {@link Task.Triage}.
     *
     * @param text the brief
     */
    record Brief(String text) implements AgentResult {
        /** Checks the text is present. */
        public Brief {
            Objects.requireNonNull(text, "text");
        }
    }

    /**
     * Todos to do, answering {@link Task.Plan} or {@link Task.Fix}.
     *
     * @param todos the todos, with ids new to the mission
     */
    record Plan(List<Todo> todos) implements AgentResult {
        /** Copies the list. */
        public Plan {
            todos = List.copyOf(todos);
        }
    }

    /**
     * A todo done, answering {@link Task.Work}.
     *
     * @param summary what was done
     */
    record Done(String summary) implements AgentResult {
        /** Checks the summary is present. */
        public Done {
            Objects.requireNonNull(summary, "summary");
        }
    }

    /**
     * A todo that could not be done, answering {@link Task.Work}.
     *
     * @param reason why, for the Commander who decides what to do next
     */
    record Failed(String reason) implements AgentResult {
        /** Checks the reason is present. */
        public Failed {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * A review's findings, answering {@link Task.Review}.
     *
     * @param issues what is still wrong; empty when the goal is met
     */
    record Verdict(List<Issue> issues) implements AgentResult {
        /** Copies the list. */
        public Verdict {
            issues = List.copyOf(issues);
        }
    }
}
