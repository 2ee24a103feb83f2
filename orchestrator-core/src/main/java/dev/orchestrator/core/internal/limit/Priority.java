package dev.orchestrator.core.internal.limit;

import java.util.Locale;
import java.util.Set;

/**
 * Who is waiting: calls that lead the mission go before the workers' calls, so that a wide fan-out of workers
 * cannot keep the Commander waiting for minutes.
 */
public enum Priority {
    /** The Commander, Planner and Reviewer: everyone else waits for their decisions. */
    LEAD,
    /** Workers and anything else. */
    WORKER;

    // the planner is on the critical path too: no worker can start before the plan exists
    private static final Set<String> LEAD_ROLES = Set.of("commander", "planner", "reviewer");

    /** The priority of a call made by an agent of {@code role} (the request's {@code role} metadata). */
    public static Priority ofRole(String role) {
        return LEAD_ROLES.contains(role.toLowerCase(Locale.ROOT)) ? LEAD : WORKER;
    }
}
