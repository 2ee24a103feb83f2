package dev.orchestrator.benchmarks.limit;

/**
 * What one run of one scenario measured.
 *
 * @param goodput the share of the provider's binding quota (requests or tokens) that successful calls used in the
 *     measured span
 * @param attemptsPerSuccess attempts sent per successful call, over the whole run
 * @param share429 the share of attempts answered with a 429, over the whole run
 * @param reconvergeDown seconds after the capacity halved until a 30 s span had under 5 % 429s and at least 90 %
 *     goodput at the new capacity; NaN if it never did (or the scenario has no change)
 * @param reconvergeUp the same after the capacity came back
 * @param jain Jain's fairness index of the clients' successful calls in the measured span
 * @param sendsInPause attempts sent while the provider's retry-after to that client, or its own pause, had not
 *     ended
 * @param failedCalls calls given up on
 * @param rateLimited attempts answered with a 429, over the whole run
 * @param rateLimitedMeasured attempts answered with a 429 in the measured span (after the start's learning)
 * @param worstOverBest the successful calls of the client with the fewest over those of the one with the most, in
 *     the measured span (1 when there is one client)
 */
record RunResult(double goodput, double attemptsPerSuccess, double share429, double reconvergeDown,
        double reconvergeUp, double jain, long sendsInPause, long failedCalls, long rateLimited,
        long rateLimitedMeasured, double worstOverBest) {
}
