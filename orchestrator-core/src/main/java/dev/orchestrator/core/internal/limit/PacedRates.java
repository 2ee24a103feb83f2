package dev.orchestrator.core.internal.limit;

/**
 * The rates a limiter's pacer learned from the provider's headers and refusals (not the rates it probes above them
 * between refusals): what the engine journals when they change, so that a resumed mission does not send at full
 * speed into rate limits it already found (see {@link AimdLimiter#restore(PacedRates)}).
 *
 * @param requestsPerMinute the request rate, 0 while none is known
 * @param tokensPerMinute the token rate, 0 while none is known
 */
public record PacedRates(double requestsPerMinute, double tokensPerMinute) {

    /** Nothing learned yet: sends are not spaced. */
    public static final PacedRates UNKNOWN = new PacedRates(0, 0);

    /** A change smaller than this share of a rate is not worth telling: a share of the headers' limit creeps. */
    private static final double NOTEWORTHY = 0.05;

    /** Checks the rates are not negative. */
    public PacedRates {
        if (!(requestsPerMinute >= 0 && tokensPerMinute >= 0)) {
            throw new IllegalArgumentException("paced rates must be at least 0 (0 for not known), were "
                    + requestsPerMinute + " requests and " + tokensPerMinute + " tokens per minute");
        }
    }

    /** Whether going from {@code told} to these rates is worth journaling: a rate found or lost, or moved over 5 %. */
    boolean differsMuchFrom(PacedRates told) {
        return differsMuch(requestsPerMinute, told.requestsPerMinute)
                || differsMuch(tokensPerMinute, told.tokensPerMinute);
    }

    private static boolean differsMuch(double now, double told) {
        return Math.abs(now - told) > NOTEWORTHY * told || (now == 0) != (told == 0);
    }
}
