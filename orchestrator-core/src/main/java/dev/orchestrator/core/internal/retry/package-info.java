/**
 * The resilience layer around every LLM call: {@link RetryingProvider} classifies failures, retries the transient
 * ones through the limiter with backoff and a budget, fails fast on the rest and hands context-length errors to
 * compaction. Internal: not exported, may change in any release.
 */
package dev.orchestrator.core.internal.retry;
