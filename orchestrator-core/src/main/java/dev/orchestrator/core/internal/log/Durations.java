package dev.orchestrator.core.internal.log;

import java.time.Duration;

/** How a duration reads in a message to the user, so that every message says one the same way. */
public final class Durations {

    private Durations() {
    }

    /**
     * {@code duration} in whole seconds under two minutes, else in minutes and seconds: "45 s", "15 min",
     * "2 min 30 s". A positive duration under a second reads "1 s", not "0 s", which would read as no time at all.
     */
    public static String words(Duration duration) {
        long s = duration.isNegative() || duration.isZero() ? 0 : Math.max(1, duration.toSeconds());
        return s < 120 ? s + " s" : s / 60 + " min" + (s % 60 == 0 ? "" : " " + s % 60 + " s");
    }
}
