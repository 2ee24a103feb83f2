/**
 * The adaptive concurrency limiter and rate pacer that gate every LLM call: one {@link AimdLimiter} per provider,
 * model and API key, shared through a {@link LimiterRegistry}. Internal: not exported, may change in any release.
 */
package dev.orchestrator.core.internal.limit;
