package dev.orchestrator.core.internal.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.orchestrator.api.RateLimits;
import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class RateLimitHeadersTest {

    private static final Instant NOW = Instant.parse("2026-02-17T23:44:10Z");

    private static HttpHeaders headers(String... pairs) {
        Map<String, List<String>> map = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], List.of(pairs[i + 1]));
        }
        return HttpHeaders.of(map, (name, value) -> true);
    }

    @Test
    void goDurationsAsOpenAiSendsThem() {
        assertEquals(Optional.of(Duration.ofMinutes(6)), RateLimitHeaders.goDuration("6m0s"));
        assertEquals(Optional.of(Duration.ofSeconds(1)), RateLimitHeaders.goDuration("1s"));
        assertEquals(Optional.of(Duration.ofMillis(20)), RateLimitHeaders.goDuration("20ms"));
        assertEquals(Optional.of(Duration.ZERO), RateLimitHeaders.goDuration("0s"));
        assertEquals(Optional.of(Duration.ZERO), RateLimitHeaders.goDuration("0"));
        assertEquals(Optional.of(Duration.ofMillis(7660)), RateLimitHeaders.goDuration("7.66s"));
        assertEquals(Optional.of(Duration.ofSeconds(3723).plusMillis(500)), RateLimitHeaders.goDuration("1h2m3.5s"));
        assertEquals(Optional.of(Duration.ofNanos(1500)), RateLimitHeaders.goDuration("1µs500ns"));
    }

    @Test
    void malformedGoDurationsAreEmpty() {
        assertEquals(Optional.empty(), RateLimitHeaders.goDuration(""));
        assertEquals(Optional.empty(), RateLimitHeaders.goDuration("soon"));
        assertEquals(Optional.empty(), RateLimitHeaders.goDuration("5"));
        assertEquals(Optional.empty(), RateLimitHeaders.goDuration("1s later"));
    }

    @Test
    void openAiHeaders() {
        RateLimits limits = RateLimitHeaders.parse(headers("x-ratelimit-remaining-requests", "29999",
                "x-ratelimit-remaining-tokens", "149999993", "x-ratelimit-reset-requests", "2ms",
                "x-ratelimit-reset-tokens", "6m0s"), NOW);

        assertEquals(new RateLimits(OptionalLong.of(29999), OptionalLong.of(149999993),
                Optional.of(Duration.ofMillis(2)), Optional.of(Duration.ofMinutes(6))), limits);
    }

    @Test
    void anthropicResetInstantsBecomeWaitsFromNowAndPastOnesZero() {
        RateLimits limits = RateLimitHeaders.parse(headers("anthropic-ratelimit-requests-remaining", "19999",
                "anthropic-ratelimit-requests-reset", "2026-02-17T23:44:11Z",
                "anthropic-ratelimit-tokens-remaining", "2400000",
                "anthropic-ratelimit-tokens-reset", "2026-02-17T23:44:09Z"), NOW);

        assertEquals(new RateLimits(OptionalLong.of(19999), OptionalLong.of(2400000),
                Optional.of(Duration.ofSeconds(1)), Optional.of(Duration.ZERO)), limits);
    }

    @Test
    void noHeadersMeansUnknown() {
        assertEquals(RateLimits.UNKNOWN, RateLimitHeaders.parse(headers("content-type", "text/plain"), NOW));
        assertEquals(RateLimits.UNKNOWN, RateLimitHeaders.parse(headers("x-ratelimit-remaining-tokens", "lots",
                "x-ratelimit-reset-tokens", "later"), NOW));
    }

    @Test
    void retryAfterMsWinsOverRetryAfter() {
        assertEquals(Optional.of(Duration.ofMillis(1500)),
                RateLimitHeaders.retryAfter(headers("retry-after-ms", "1500", "retry-after", "2"), NOW));
    }

    @Test
    void retryAfterInSecondsOrAsHttpDate() {
        assertEquals(Optional.of(Duration.ofSeconds(20)), RateLimitHeaders.retryAfter(headers("retry-after", "20"),
                NOW));
        assertEquals(Optional.of(Duration.ofMillis(2500)),
                RateLimitHeaders.retryAfter(headers("retry-after", "2.5"), NOW));
        assertEquals(Optional.of(Duration.ofSeconds(50)),
                RateLimitHeaders.retryAfter(headers("retry-after", "Tue, 17 Feb 2026 23:45:00 GMT"), NOW));
        assertEquals(Optional.of(Duration.ZERO),
                RateLimitHeaders.retryAfter(headers("retry-after", "Tue, 17 Feb 2026 23:40:00 GMT"), NOW));
        assertEquals(Optional.empty(), RateLimitHeaders.retryAfter(headers("retry-after", "whenever"), NOW));
        assertEquals(Optional.empty(), RateLimitHeaders.retryAfter(headers(), NOW));
    }

    @Test
    void aUsedUpWindowsResetIsTheWaitWhenNoRetryAfterIsGiven() {
        assertEquals(Optional.of(Duration.ofSeconds(20)), RateLimitHeaders.retryAfter(headers(
                "x-ratelimit-remaining-requests", "0", "x-ratelimit-reset-requests", "20s",
                "x-ratelimit-remaining-tokens", "5000", "x-ratelimit-reset-tokens", "1s"), NOW));
        assertEquals(Optional.of(Duration.ofSeconds(3)), RateLimitHeaders.retryAfter(headers(
                "retry-after", "3", "x-ratelimit-remaining-requests", "0", "x-ratelimit-reset-requests", "20s"), NOW));
        assertEquals(Optional.empty(), RateLimitHeaders.retryAfter(headers(
                "x-ratelimit-remaining-requests", "4", "x-ratelimit-reset-requests", "20s"), NOW));
    }

    @Test
    void limitsOfRecordedOpenAiAndAnthropicResponses() throws java.io.IOException {
        RateLimits openAi = RateLimitHeaders.parse(recorded("openai/llm.test_tool_use_basic.0.response.headers"), NOW);
        assertEquals(OptionalLong.of(30000), openAi.requestLimit());
        assertEquals(OptionalLong.of(150000000), openAi.tokenLimit());
        assertEquals(OptionalLong.of(29999), openAi.remainingRequests());
        assertEquals(Optional.of(Duration.ofMillis(2)), openAi.requestsReset());

        RateLimits anthropic = RateLimitHeaders.parse(
                recorded("anthropic/llm-anthropic.test_prompt.0.response.headers"), NOW);
        assertEquals(OptionalLong.of(20000), anthropic.requestLimit());
        assertEquals(OptionalLong.of(2400000), anthropic.tokenLimit());
        assertEquals(OptionalLong.of(19999), anthropic.remainingRequests());
        assertEquals(Optional.of(Duration.ofSeconds(1)), anthropic.requestsReset());
    }

    /** The headers of a recorded response in the test fixtures, one {@code Name: value} a line. */
    private static HttpHeaders recorded(String file) throws java.io.IOException {
        Map<String, List<String>> map = new HashMap<>();
        String text;
        try (java.io.InputStream in = RateLimitHeadersTest.class.getResourceAsStream("/fixtures/" + file)) {
            text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        for (String line : text.split("\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                map.computeIfAbsent(line.substring(0, colon).strip().toLowerCase(java.util.Locale.ROOT),
                        k -> new java.util.ArrayList<>()).add(line.substring(colon + 1).strip());
            }
        }
        return HttpHeaders.of(map, (name, value) -> true);
    }
}
