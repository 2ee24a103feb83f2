/**
 * A discrete-event simulation of LLM calls against a rate-limited provider, on virtual time, that scores the SDK's
 * limiter and retry rules against common baselines. Run {@link dev.orchestrator.benchmarks.limit.LimiterSimulation}.
 */
package dev.orchestrator.benchmarks.limit;
