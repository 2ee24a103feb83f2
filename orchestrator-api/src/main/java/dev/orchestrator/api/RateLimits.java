package dev.orchestrator.api;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What a provider said about its capacity in the rate-limit headers of a response ({@code x-ratelimit-*},
 * {@code anthropic-ratelimit-*}), so that a limiter can pace its calls and slow down before a 429.
 *
 * @param remainingRequests requests left in the current window, if reported
 * @param remainingTokens tokens left in the current window, if reported
 * @param requestsReset time until the request window resets, if reported
 * @param tokensReset time until the token window resets, if reported
 * @param requestLimit the most requests the window allows ({@code x-ratelimit-limit-requests}), if reported; the
 *     providers that send it (OpenAI, Anthropic) count it per minute
 * @param tokenLimit the most tokens the window allows ({@code x-ratelimit-limit-tokens}), if reported; per minute
 *     as well
 */
public record RateLimits(OptionalLong remainingRequests, OptionalLong remainingTokens,
        Optional<Duration> requestsReset, Optional<Duration> tokensReset, OptionalLong requestLimit,
        OptionalLong tokenLimit) {

    /** Nothing reported. */
    public static final RateLimits UNKNOWN = new RateLimits(OptionalLong.empty(), OptionalLong.empty(),
            Optional.empty(), Optional.empty());

    /** Checks every field is present. */
    public RateLimits {
        Objects.requireNonNull(remainingRequests, "remainingRequests");
        Objects.requireNonNull(remainingTokens, "remainingTokens");
        Objects.requireNonNull(requestsReset, "requestsReset");
        Objects.requireNonNull(tokensReset, "tokensReset");
        Objects.requireNonNull(requestLimit, "requestLimit");
        Objects.requireNonNull(tokenLimit, "tokenLimit");
    }

    /**
     * Remaining counts and resets without the limits, as from a server that does not report them.
     *
     * @param remainingRequests requests left in the current window, if reported
     * @param remainingTokens tokens left in the current window, if reported
     * @param requestsReset time until the request window resets, if reported
     * @param tokensReset time until the token window resets, if reported
     */
    public RateLimits(OptionalLong remainingRequests, OptionalLong remainingTokens, Optional<Duration> requestsReset,
            Optional<Duration> tokensReset) {
        this(remainingRequests, remainingTokens, requestsReset, tokensReset, OptionalLong.empty(),
                OptionalLong.empty());
    }
}
