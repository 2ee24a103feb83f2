package dev.orchestrator.core.internal.limit;

import dev.orchestrator.api.RateLimits;
import java.util.OptionalLong;

/**
 * Spaces sends so that the provider's request and token buckets are not overrun: the rate half of admission, beside
 * the concurrency limit. A bucket is unknown (and lets everything through) until a server says something about it.
 *
 * <p>It learns each bucket's size and refill rate from the {@code limit} headers (the providers that send them count
 * per minute) and its level from the {@code remaining} headers; a 429 although the limit was kept means another
 * process uses the same key, and shrinks the share of the limit paced for, which successes win back slowly. For
 * requests, when no header says anything, it learns from the 429s: first the retry-after (the time until one more
 * request fits), then the rate the server accepted between two refusals, probed upwards on successes so that a rate
 * guessed low, or a quota that went up, is found again. After a 429 the next request fits when its retry-after
 * ends. Tokens are taken from the estimate before a send and corrected by the response's usage.
 *
 * <p>Where several processes share one quota, each may be {@link #cap capped} at the share a lease gave it: a
 * bucket then refills at the lower of its own rate and the cap, and holds the cap's part of what it held (so that
 * the processes' buckets together hold what the server's does). Not thread-safe: {@link AimdLimiter} guards it
 * with its lock.
 */
final class Pacer {

    private static final double NANOS_PER_MINUTE = 60e9;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    /** On a refusal without headers, the learned rate goes a little below what the server accepted. */
    private static final double BACKOFF = 0.9;
    /**
     * A success while the pacer holds callers back raises a rate learned from refusals by this fraction times the
     * number of such successes since the last refusal, up to {@link #MAX_PROBE_STEPS}: slow at first, so that a
     * rate just found is kept, then faster, so that a rate guessed too low from a rounded retry-after, or a quota
     * that went up, is found within a minute or so.
     */
    private static final double PROBE_STEP = 0.001;
    private static final int MAX_PROBE_STEPS = 50;
    /** The smallest share of a limit from the headers the pacer goes down to. */
    private static final double MIN_SHARE = 0.05;
    /** A success while the pacer holds callers back raises the share of a limit from the headers by this much. */
    private static final double SHARE_STEP = 0.001;
    /** The shortest span the accepted rate is measured over: shorter ones are dominated by the server's burst. */
    private static final long MIN_MEASURE_NANOS = 5_000_000_000L;

    private final Bucket requests = new Bucket();
    private final Bucket tokens = new Bucket();
    private long pausedUntil;
    private long quietUntil = Long.MIN_VALUE;
    private long acceptedSinceRefusal;
    private boolean refusedBefore;
    private long firstSendAt = Long.MIN_VALUE;
    private PacedRates learned = PacedRates.UNKNOWN;

    /**
     * The rates as the provider last showed them: set by a refusal and by limit headers, not by the probing of
     * successes, which goes above what the provider allows until it refuses again (a resume that started from a
     * probed rate would meet that refusal at once).
     */
    PacedRates learned() {
        return learned;
    }

    /**
     * Continues at rates a previous run learned, for each bucket that knows no rate of its own: a bucket of about
     * one second's worth, full, as a rate learned from refusals. A response's limit headers then replace it.
     */
    void restore(long now, PacedRates rates) {
        requests.restore(now, rates.requestsPerMinute());
        tokens.restore(now, rates.tokensPerMinute());
        learned = current();
    }

    private PacedRates current() {
        return new PacedRates(requests.perMinute(), tokens.perMinute());
    }

    /**
     * Caps each rate at a share of a quota this process shares with others: the lower of it and what the pacer
     * learned is paced for. A rate of 0 leaves that bucket uncapped.
     */
    void cap(long now, PacedRates share) {
        requests.cap(now, share.requestsPerMinute());
        tokens.cap(now, share.tokensPerMinute());
    }

    /** The key's whole limits per minute as the headers last showed them, 0 for a bucket they said nothing of. */
    PacedRates quota() {
        // a bucket from the headers holds the limit per minute, exactly as they said it
        return new PacedRates(requests.fromHeaders ? requests.capacity : 0, tokens.fromHeaders ? tokens.capacity : 0);
    }

    /** Nanoseconds until a send of {@code tokenEstimate} tokens fits both buckets; 0 if it fits now. */
    long waitNanos(long now, long tokenEstimate) {
        return Math.max(requests.waitNanos(now, 1), tokens.waitNanos(now, tokenEstimate));
    }

    /** Which bucket a wait of {@link #waitNanos} is for. */
    PauseCause waitCause(long now, long tokenEstimate) {
        return tokens.waitNanos(now, tokenEstimate) > requests.waitNanos(now, 1) ? PauseCause.PACED_TOKENS
                : PauseCause.PACED_REQUESTS;
    }

    /** A send of {@code tokenEstimate} tokens goes out now. */
    void take(long now, long tokenEstimate) {
        if (firstSendAt == Long.MIN_VALUE) {
            firstSendAt = now;
        }
        requests.take(now, 1);
        tokens.take(now, tokenEstimate);
    }

    /** A permit was given back without sending: its share of the buckets is returned. */
    void giveBack(long now, long tokenEstimate) {
        requests.take(now, -1);
        tokens.take(now, -tokenEstimate);
    }

    /** A response came back: what its headers say, and how many tokens it used beyond the estimate. */
    void onAnswered(long now, RateLimits rateLimits, long tokensBeyondEstimate) {
        acceptedSinceRefusal++;
        requests.learn(now, rateLimits.requestLimit(), rateLimits.remainingRequests());
        tokens.learn(now, rateLimits.tokenLimit(), rateLimits.remainingTokens());
        tokens.take(now, tokensBeyondEstimate);
        requests.probe(now, acceptedSinceRefusal);
        tokens.probe(now, acceptedSinceRefusal);
        if (rateLimits.requestLimit().isPresent() || rateLimits.tokenLimit().isPresent()) {
            learned = current();
        }
    }

    /**
     * A 429 came back. Without a request limit from the headers, a little less than the rate the server accepted
     * since the pause of the previous refusal ended becomes the rate. With limits from the headers, the share of
     * the limit this client paces for shrinks (for the bucket the refusal's headers show emptier): another process
     * on the same key is using the rest. Refusals within the wait the last one asked for are the same event seen
     * again by the calls that were in flight, and teach nothing new.
     */
    void onRefused(long now, RateLimits rateLimits, long retryAfterNanos) {
        requests.learn(now, rateLimits.requestLimit(), rateLimits.remainingRequests());
        tokens.learn(now, rateLimits.tokenLimit(), rateLimits.remainingTokens());
        if (now < quietUntil) {
            return;
        }
        // measured from the end of the last pause: while it lasted, nothing could be accepted
        long since = refusedBefore ? pausedUntil : firstSendAt;
        boolean requestsBind = emptier(rateLimits.remainingRequests(), requests)
                <= emptier(rateLimits.remainingTokens(), tokens);
        if (requests.fromHeaders && requestsBind) {
            requests.shrinkShare(now);
        }
        if (tokens.fromHeaders && !requestsBind) {
            tokens.shrinkShare(now);
        }
        if (!requests.fromHeaders) {
            // the rate accepted over at least a second says the most; a burst at the start says nothing, and then
            // the retry-after, the time until one more request fits, is the best guess there is
            double accepted = since != Long.MIN_VALUE && now - since >= Math.max(retryAfterNanos, MIN_MEASURE_NANOS)
                    ? acceptedSinceRefusal / (double) (now - since) : 0;
            if (accepted > 0) {
                requests.learnFromRefusal(now, accepted * BACKOFF);
            } else if (requests.ratePerNano > 0) {
                requests.learnFromRefusal(now, requests.ratePerNano * BACKOFF);
            } else if (retryAfterNanos > 0) {
                requests.learnFromRefusal(now, BACKOFF / retryAfterNanos);
            }
        }
        requests.nextFitsIn(now, retryAfterNanos);
        refusedBefore = true;
        acceptedSinceRefusal = 0;
        pausedUntil = now + retryAfterNanos;
        quietUntil = now + Math.max(retryAfterNanos, NANOS_PER_SECOND);
        learned = current();
    }

    /** How full a bucket the headers of a refusal show, 0 to 1; 0 when they say nothing about it. */
    private static double emptier(OptionalLong remaining, Bucket bucket) {
        return remaining.isPresent() && bucket.capacity > 0 ? remaining.getAsLong() / bucket.capacity : 0;
    }

    /**
     * One bucket: unknown (rate 0) until learned, then a size, a refill rate and a level. A bucket learned from
     * headers refills at the share of the limit this client has found it gets. A cap (0 for none) bounds the rate
     * the level refills at, whatever was learned.
     */
    private static final class Bucket {
        double ratePerNano;
        double capPerNano;
        double limitPerNano;
        double share = 1;
        double capacity;
        double level;
        long at;
        boolean fromHeaders;
        boolean binding;

        /** The rate the level refills at: the learned one, or the cap if that is lower (or nothing is learned). */
        double rate() {
            return capPerNano > 0 && (ratePerNano <= 0 || capPerNano < ratePerNano) ? capPerNano : ratePerNano;
        }

        /** The most the level holds: the learned size, or the cap's part of it while the cap binds. */
        double size() {
            if (rate() == ratePerNano) {
                return capacity;
            }
            // a bucket from the headers holds a minute's worth, one learned from refusals (or none) about a second's
            return fromHeaders ? capPerNano * NANOS_PER_MINUTE : Math.max(1, capPerNano * 1e9);
        }

        void cap(long now, double perMinute) {
            boolean wasUnknown = rate() <= 0;
            refill(now);
            capPerNano = Math.max(0, perMinute) / NANOS_PER_MINUTE;
            // a bucket known only by its cap starts full, as one learned from the headers does
            level = wasUnknown ? size() : Math.min(level, size());
        }

        long waitNanos(long now, long amount) {
            double rate = rate();
            if (rate <= 0) {
                return 0;
            }
            refill(now);
            // a send larger than the whole bucket waits for a full bucket, not forever
            double needed = Math.min(amount, size());
            if (level >= needed) {
                return 0;
            }
            binding = true;
            return (long) Math.ceil((needed - level) / rate);
        }

        void take(long now, long amount) {
            if (rate() > 0) {
                refill(now);
                level = Math.min(size(), level - amount);
            }
        }

        void learn(long now, OptionalLong limit, OptionalLong remaining) {
            if (limit.isPresent() && limit.getAsLong() > 0) {
                refill(now);
                boolean first = !fromHeaders;
                fromHeaders = true;
                capacity = limit.getAsLong();
                limitPerNano = capacity / NANOS_PER_MINUTE;
                ratePerNano = limitPerNano * share;
                if (first) {
                    level = size();
                }
            }
            if (rate() > 0 && remaining.isPresent()) {
                refill(now);
                // the server's count is the truth, but sends since its answer are not in it yet: keep the lower
                level = Math.min(level, remaining.getAsLong());
            }
        }

        double perMinute() {
            return ratePerNano * NANOS_PER_MINUTE;
        }

        void restore(long now, double perMinute) {
            if (ratePerNano <= 0 && perMinute > 0) {
                learnFromRefusal(now, perMinute / NANOS_PER_MINUTE);
                level = size();
            }
        }

        void learnFromRefusal(long now, double accepted) {
            refill(now);
            binding = false;
            ratePerNano = accepted;
            // a bucket of about one second's worth, at least one request: spaced sends, not bursts
            capacity = Math.max(1, ratePerNano * 1e9);
        }

        /** Raises a rate learned from refusals, or a share of the limit, if it held anyone back since the last raise. */
        void probe(long now, long successesSinceRefusal) {
            // while a cap binds, the learned rate is not what held anyone back: raising it would find nothing
            if (ratePerNano <= 0 || !binding || fromHeaders && share >= 1 || rate() != ratePerNano) {
                return;
            }
            refill(now);
            binding = false;
            if (fromHeaders) {
                // the limit is known, only the part others use is not: creep back up, a cut is rarely wrong
                share = Math.min(1, share + SHARE_STEP);
                ratePerNano = limitPerNano * share;
            } else {
                ratePerNano *= 1 + PROBE_STEP * Math.min(MAX_PROBE_STEPS, successesSinceRefusal);
                capacity = Math.max(1, ratePerNano * 1e9);
            }
        }

        /** A refusal although the headers' limit was kept: someone else uses part of it. */
        void shrinkShare(long now) {
            refill(now);
            binding = false;
            share = Math.max(MIN_SHARE, share * BACKOFF);
            ratePerNano = limitPerNano * share;
        }

        /** The server said one more request fits in {@code nanos} (none now): so it will, and not before. */
        void nextFitsIn(long now, long nanos) {
            if (rate() > 0) {
                refill(now);
                // the server's word on its own bucket beats the estimate, whichever way
                level = nanos > 0 ? Math.min(1, 1 - rate() * nanos) : Math.min(level, 0);
            }
        }

        private void refill(long now) {
            if (now > at) {
                level = Math.min(size(), level + (now - at) * rate());
                at = now;
            }
        }
    }
}
