package dev.orchestrator.api;

/**
 * An in-memory cache of model answers, opt-in through {@link Mission.Builder#responseCache}. A request identical to
 * one answered before in the mission (same model, system prompt, messages, tools and parameters; the engine's
 * metadata does not count) gets the earlier answer without a provider call, and identical requests in flight at once
 * make one call and share its answer. Failures are never cached. The oldest-used answers go first when either
 * bound is reached.
 *
 * <p>Only worth it where identical requests recur, as when agents are deterministic (temperature 0) or several
 * tasks ask the same question; a cached answer costs no tokens and is reported with zero usage.
 *
 * @param maxEntries the most answers kept, positive
 * @param maxBytes the most bytes of answers kept (counted as their text, tool calls and model name), positive
 */
public record ResponseCache(int maxEntries, long maxBytes) {

    /** 1,000 answers within 16 MB. */
    public static final ResponseCache DEFAULT = new ResponseCache(1000, 16L * 1024 * 1024);

    /** Checks the bounds. */
    public ResponseCache {
        if (maxEntries <= 0) {
            throw new IllegalArgumentException("maxEntries must be positive, was " + maxEntries);
        }
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("maxBytes must be positive, was " + maxBytes);
        }
    }
}
