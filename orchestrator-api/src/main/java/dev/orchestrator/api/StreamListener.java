package dev.orchestrator.api;

/**
 * Receives a response while it streams in. Every method does nothing by default, so a listener overrides only
 * what it needs. Methods are called on the thread that makes the call, in order.
 */
public interface StreamListener {

    /** A listener that ignores everything. */
    StreamListener IGNORE = new StreamListener() { };

    /**
     * More text arrived.
     *
     * @param delta the new text
     */
    default void onText(String delta) {
    }

    /**
     * The model began a tool call; its arguments follow in later chunks.
     *
     * @param id the tool call's id
     * @param name the tool's name
     */
    default void onToolCallStarted(String id, String name) {
    }
}
