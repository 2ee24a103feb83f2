package dev.orchestrator.benchmarks.limit;

import dev.orchestrator.core.internal.limit.Permit;

/** One LLM call an agent makes, through all its attempts. */
final class Call {

    final int client;
    final int agent;
    final Workload.Shape shape;
    int attempts;
    /** When the call was admitted (baselines) or its permit granted (ours), in seconds. */
    double admittedAt;
    int inFlightAtAdmission;
    Permit permit;
    /** Ours: attempts that count toward the retry policy's maximum (not the waits the provider asked for). */
    int countedAttempts;
    double waitedSeconds;
    double sendingSeconds;
    double sentAt;

    Call(int client, int agent, Workload.Shape shape) {
        this.client = client;
        this.agent = agent;
        this.shape = shape;
    }
}
