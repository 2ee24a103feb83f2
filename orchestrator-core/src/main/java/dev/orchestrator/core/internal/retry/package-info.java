/**
 * The resilience layer around every LLM call: {@link RetryingProvider} classifies failures, waits out the refusals
 * that say when to come back (within the call's patience), retries the other transient ones through the limiter
 * with backoff and a budget, fails fast on the rest and passes context-length errors on to the conversation, which
 * compacts itself. Internal: not exported, may change in any release.
 */
package dev.orchestrator.core.internal.retry;
