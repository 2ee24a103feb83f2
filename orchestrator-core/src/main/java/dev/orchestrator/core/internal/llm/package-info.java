/**
 * What the HTTP providers share: the SSE reader, the JSON mapping of both wire formats, the error classifier and the
 * rate-limit header parser. Not part of the API.
 */
package dev.orchestrator.core.internal.llm;
