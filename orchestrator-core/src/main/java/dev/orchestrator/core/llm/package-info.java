/**
 * Model providers: the scripted provider for tests and offline runs, and the HTTP providers for OpenAI-compatible
 * servers and Anthropic.
 */
package dev.orchestrator.core.llm;
