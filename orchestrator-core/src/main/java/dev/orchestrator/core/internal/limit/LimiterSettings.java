package dev.orchestrator.core.internal.limit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How a limiter adapts. Build with {@link #builder()}; {@link #defaults()} suits the hosted LLM APIs.
 *
 * @param initialLimit the limit L a new limiter starts from
 * @param minLimit the lowest L may fall to on drops; at least 1
 * @param maxLimit the highest L may grow to
 * @param backoffRatio β: a drop sets L to β·L
 * @param minCutWindow the shortest time between two cuts; the window is otherwise the median latency of recent
 *     calls or the drop's retry-after, whichever is larger
 * @param pauseJitter the fraction of a pause added at random to its end, so that clients paused together do not
 *     all come back in the same instant
 * @param maxPauseJitter the most jitter added to one pause
 * @param reserveRequests pause when a response says this many requests or fewer remain in the window
 * @param reserveTokens pause when a response says this many tokens or fewer remain in the window
 * @param leadShare the share of L that only {@link Priority#LEAD} calls may use; 0 lets workers use all of it
 *     (lead calls still go first in the queue)
 */
public record LimiterSettings(double initialLimit, double minLimit, double maxLimit, double backoffRatio,
        Duration minCutWindow, double pauseJitter, Duration maxPauseJitter, long reserveRequests, long reserveTokens,
        double leadShare) {

    private static final LimiterSettings DEFAULTS = builder().build();

    /** Checks every setting at once and names each one that is out of range. */
    public LimiterSettings {
        List<String> problems = new ArrayList<>();
        if (!(minLimit >= 1)) {
            problems.add("minLimit must be at least 1, was " + minLimit);
        }
        if (!(maxLimit >= minLimit)) {
            problems.add("maxLimit must be at least minLimit (" + minLimit + "), was " + maxLimit);
        }
        if (!(initialLimit >= minLimit && initialLimit <= maxLimit)) {
            problems.add("initialLimit must be between minLimit and maxLimit, was " + initialLimit);
        }
        if (!(backoffRatio > 0 && backoffRatio < 1)) {
            problems.add("backoffRatio must be between 0 and 1 (exclusive), was " + backoffRatio);
        }
        if (minCutWindow.isNegative()) {
            problems.add("minCutWindow must not be negative, was " + minCutWindow);
        }
        if (!(pauseJitter >= 0 && pauseJitter <= 1)) {
            problems.add("pauseJitter must be between 0 and 1, was " + pauseJitter);
        }
        if (maxPauseJitter.isNegative()) {
            problems.add("maxPauseJitter must not be negative, was " + maxPauseJitter);
        }
        if (reserveRequests < 0 || reserveTokens < 0) {
            problems.add("reserveRequests and reserveTokens must not be negative, were " + reserveRequests + " and "
                    + reserveTokens);
        }
        if (!(leadShare >= 0 && leadShare < 1)) {
            problems.add("leadShare must be at least 0 and below 1, was " + leadShare);
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid limiter settings: " + String.join("; ", problems));
        }
    }

    /** The defaults: L from 4 within [1, 512], β 0.7, cuts at least 1 s apart, up to 10 % (at most 1 s) jitter. */
    public static LimiterSettings defaults() {
        return DEFAULTS;
    }

    /** A builder that starts from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link LimiterSettings}. */
    public static final class Builder {
        private double initialLimit = 4;
        private double minLimit = 1;
        private double maxLimit = 512;
        private double backoffRatio = 0.7;
        private Duration minCutWindow = Duration.ofSeconds(1);
        private double pauseJitter = 0.1;
        private Duration maxPauseJitter = Duration.ofSeconds(1);
        private long reserveRequests = 1;
        private long reserveTokens = 0;
        private double leadShare = 0;

        private Builder() {
        }

        /** See {@link LimiterSettings#initialLimit()}. */
        public Builder initialLimit(double initialLimit) {
            this.initialLimit = initialLimit;
            return this;
        }

        /** See {@link LimiterSettings#minLimit()} and {@link LimiterSettings#maxLimit()}. */
        public Builder limitBounds(double minLimit, double maxLimit) {
            this.minLimit = minLimit;
            this.maxLimit = maxLimit;
            return this;
        }

        /** See {@link LimiterSettings#backoffRatio()}. */
        public Builder backoffRatio(double backoffRatio) {
            this.backoffRatio = backoffRatio;
            return this;
        }

        /** See {@link LimiterSettings#minCutWindow()}. */
        public Builder minCutWindow(Duration minCutWindow) {
            this.minCutWindow = minCutWindow;
            return this;
        }

        /** See {@link LimiterSettings#pauseJitter()} and {@link LimiterSettings#maxPauseJitter()}. */
        public Builder pauseJitter(double pauseJitter, Duration maxPauseJitter) {
            this.pauseJitter = pauseJitter;
            this.maxPauseJitter = maxPauseJitter;
            return this;
        }

        /** See {@link LimiterSettings#reserveRequests()} and {@link LimiterSettings#reserveTokens()}. */
        public Builder reserve(long reserveRequests, long reserveTokens) {
            this.reserveRequests = reserveRequests;
            this.reserveTokens = reserveTokens;
            return this;
        }

        /** See {@link LimiterSettings#leadShare()}. */
        public Builder leadShare(double leadShare) {
            this.leadShare = leadShare;
            return this;
        }

        /** The settings; throws if any is out of range, naming all that are. */
        public LimiterSettings build() {
            return new LimiterSettings(initialLimit, minLimit, maxLimit, backoffRatio, minCutWindow, pauseJitter,
                    maxPauseJitter, reserveRequests, reserveTokens, leadShare);
        }
    }
}
