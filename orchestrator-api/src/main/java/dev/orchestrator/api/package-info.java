/**
 * Orchestrator for Java: run a coding mission with a team of LLM agents until the plan is done and the project's
 * own build and tests pass. Start at {@link dev.orchestrator.api.Mission#builder()}.
 */
package dev.orchestrator.api;
