package dev.orchestrator.core.internal.llm;

/**
 * One server-sent event.
 *
 * @param event the {@code event:} name, empty when the server sent none (OpenAI never does)
 * @param data the {@code data:} lines joined with {@code \n}
 */
public record SseEvent(String event, String data) {
}
