package dev.orchestrator.core.internal.llm;

import dev.orchestrator.api.RateLimits;
import java.math.BigDecimal;
import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads what a provider says about its capacity from response headers: OpenAI's {@code x-ratelimit-*} (resets as
 * Go durations such as {@code 6m0s}), Anthropic's {@code anthropic-ratelimit-*} (resets as RFC 3339 instants) and
 * {@code retry-after-ms} / {@code retry-after}. Instants become durations from {@code now}, so the limiter never
 * compares the provider's clock with its own.
 */
public final class RateLimitHeaders {

    private static final Pattern GO_DURATION_PART = Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|μs|ms|s|m|h)");

    private RateLimitHeaders() {
    }

    /** The limits in {@code headers}, {@link RateLimits#UNKNOWN} when there are none. */
    public static RateLimits parse(HttpHeaders headers, Instant now) {
        OptionalLong remainingRequests = firstLong(headers, "x-ratelimit-remaining-requests",
                "anthropic-ratelimit-requests-remaining");
        // Anthropic reports input and output tokens separately as well; the combined limit binds first when present
        OptionalLong remainingTokens = firstLong(headers, "x-ratelimit-remaining-tokens",
                "anthropic-ratelimit-tokens-remaining", "anthropic-ratelimit-input-tokens-remaining");
        Optional<Duration> requestsReset = reset(headers, now, "x-ratelimit-reset-requests",
                "anthropic-ratelimit-requests-reset");
        Optional<Duration> tokensReset = reset(headers, now, "x-ratelimit-reset-tokens",
                "anthropic-ratelimit-tokens-reset", "anthropic-ratelimit-input-tokens-reset");
        OptionalLong requestLimit = firstLong(headers, "x-ratelimit-limit-requests",
                "anthropic-ratelimit-requests-limit");
        OptionalLong tokenLimit = firstLong(headers, "x-ratelimit-limit-tokens", "anthropic-ratelimit-tokens-limit",
                "anthropic-ratelimit-input-tokens-limit");
        return new RateLimits(remainingRequests, remainingTokens, requestsReset, tokensReset, requestLimit,
                tokenLimit);
    }

    /**
     * How long the provider asked callers to wait: {@code retry-after-ms} (OpenAI), else {@code retry-after} in
     * seconds or as an HTTP date, else the reset of a window the headers report as used up (the time until it is
     * whole again: an upper bound on the wait, and still a wait the server gave rather than a failure).
     */
    public static Optional<Duration> retryAfter(HttpHeaders headers, Instant now) {
        return explicitRetryAfter(headers, now).or(() -> exhaustedReset(parse(headers, now)));
    }

    private static Optional<Duration> exhaustedReset(RateLimits limits) {
        Optional<Duration> requests = limits.remainingRequests().isPresent()
                && limits.remainingRequests().getAsLong() <= 0 ? limits.requestsReset() : Optional.empty();
        Optional<Duration> tokens = limits.remainingTokens().isPresent()
                && limits.remainingTokens().getAsLong() <= 0 ? limits.tokensReset() : Optional.empty();
        return requests.isEmpty() ? tokens.filter(Duration::isPositive) : tokens.isEmpty()
                ? requests.filter(Duration::isPositive)
                : Optional.of(requests.get().compareTo(tokens.get()) >= 0 ? requests.get() : tokens.get())
                        .filter(Duration::isPositive);
    }

    private static Optional<Duration> explicitRetryAfter(HttpHeaders headers, Instant now) {
        Optional<String> millis = headers.firstValue("retry-after-ms");
        if (millis.isPresent()) {
            Optional<Duration> parsed = decimal(millis.get()).map(ms -> nanos(ms.movePointRight(6)));
            if (parsed.isPresent()) {
                return parsed;
            }
        }
        return headers.firstValue("retry-after").flatMap(value -> {
            Optional<Duration> seconds = decimal(value).map(s -> nanos(s.movePointRight(9)));
            return seconds.isPresent() ? seconds : httpDate(value).map(date -> nonNegative(Duration.between(now,
                    date)));
        });
    }

    /** A Go {@code time.Duration} string such as {@code 6m0s}, {@code 1.5s} or {@code 20ms}; empty if malformed. */
    public static Optional<Duration> goDuration(String text) {
        String value = text.strip();
        if (value.equals("0")) {
            return Optional.of(Duration.ZERO);
        }
        Matcher matcher = GO_DURATION_PART.matcher(value);
        BigDecimal totalNanos = BigDecimal.ZERO;
        int end = 0;
        while (matcher.find() && matcher.start() == end) {
            BigDecimal amount = new BigDecimal(matcher.group(1).startsWith(".") ? "0" + matcher.group(1)
                    : matcher.group(1));
            long unitNanos = switch (matcher.group(2)) {
                case "ns" -> 1L;
                case "us", "µs", "μs" -> 1_000L;
                case "ms" -> 1_000_000L;
                case "s" -> 1_000_000_000L;
                case "m" -> 60_000_000_000L;
                default -> 3_600_000_000_000L;
            };
            totalNanos = totalNanos.add(amount.multiply(BigDecimal.valueOf(unitNanos)));
            end = matcher.end();
        }
        return end == value.length() && end > 0 ? Optional.of(nanos(totalNanos)) : Optional.empty();
    }

    private static OptionalLong firstLong(HttpHeaders headers, String... names) {
        for (String name : names) {
            Optional<String> value = headers.firstValue(name);
            if (value.isPresent()) {
                try {
                    return OptionalLong.of(Long.parseLong(value.get().strip()));
                } catch (NumberFormatException e) {
                    // a gateway that rewrites the header is no reason to fail the call
                }
            }
        }
        return OptionalLong.empty();
    }

    private static Optional<Duration> reset(HttpHeaders headers, Instant now, String... names) {
        for (String name : names) {
            Optional<String> value = headers.firstValue(name);
            if (value.isPresent()) {
                Optional<Duration> parsed = goDuration(value.get()).or(() -> rfc3339(value.get())
                        .map(at -> nonNegative(Duration.between(now, at))));
                if (parsed.isPresent()) {
                    return parsed;
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<Instant> rfc3339(String text) {
        try {
            return Optional.of(OffsetDateTime.parse(text.strip()).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static Optional<Instant> httpDate(String text) {
        try {
            return Optional.of(ZonedDateTime.parse(text.strip(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static Optional<BigDecimal> decimal(String text) {
        try {
            BigDecimal value = new BigDecimal(text.strip());
            return value.signum() < 0 ? Optional.of(BigDecimal.ZERO) : Optional.of(value);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static Duration nanos(BigDecimal nanos) {
        return Duration.ofNanos(nanos.longValue());
    }

    private static Duration nonNegative(Duration duration) {
        return duration.isNegative() ? Duration.ZERO : duration;
    }
}
