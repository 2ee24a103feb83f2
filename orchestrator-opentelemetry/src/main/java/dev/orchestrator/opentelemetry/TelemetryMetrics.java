package dev.orchestrator.opentelemetry;

import dev.orchestrator.api.LlmException;
import dev.orchestrator.api.Usage;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleCounter;
import io.opentelemetry.api.metrics.DoubleGauge;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.LongHistogram;
import io.opentelemetry.api.metrics.LongUpDownCounter;
import io.opentelemetry.api.metrics.Meter;
import java.time.Duration;
import java.util.List;

/**
 * The instruments: the GenAI conventions' client histograms, and the SDK's own (limiter, pauses, rate limits,
 * retries, missions, cost, the journal's appends).
 */
final class TelemetryMetrics {

    // the conventions' advised bucket boundaries
    private static final List<Double> DURATION_BUCKETS = List.of(0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56,
            5.12, 10.24, 20.48, 40.96, 81.92);
    // from 50 µs (a journal in memory, or without forcing) to 1 s (a slow disk's force)
    private static final List<Double> APPEND_BUCKETS = List.of(0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025,
            0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0);
    private static final List<Long> TOKEN_BUCKETS = List.of(1L, 4L, 16L, 64L, 256L, 1024L, 4096L, 16384L, 65536L,
            262144L, 1048576L, 4194304L, 16777216L, 67108864L);

    private final LongHistogram tokens;
    private final DoubleHistogram duration;
    private final DoubleGauge limit;
    private final LongUpDownCounter inFlight;
    private final DoubleHistogram waits;
    private final DoubleHistogram pauses;
    private final LongCounter rateLimited;
    private final LongCounter retries;
    private final LongCounter missions;
    private final DoubleCounter cost;
    private final DoubleHistogram journalAppends;
    private final LongCounter journalBytes;

    TelemetryMetrics(Meter meter) {
        tokens = meter.histogramBuilder("gen_ai.client.token.usage").ofLongs().setUnit("{token}")
                .setDescription("Number of input and output tokens used").setExplicitBucketBoundariesAdvice(
                        TOKEN_BUCKETS).build();
        duration = meter.histogramBuilder("gen_ai.client.operation.duration").setUnit("s")
                .setDescription("GenAI operation duration").setExplicitBucketBoundariesAdvice(DURATION_BUCKETS)
                .build();
        limit = meter.gaugeBuilder("orchestrator.limiter.limit").setUnit("{call}")
                .setDescription("The adaptive concurrency limit of a provider, model and quota").build();
        inFlight = meter.upDownCounterBuilder("orchestrator.llm.calls.in_flight").setUnit("{call}")
                .setDescription("Model calls sent and not yet answered").build();
        waits = meter.histogramBuilder("orchestrator.limiter.wait.duration").setUnit("s")
                .setDescription("How long a model call waited for the rate limiter before it was sent").build();
        pauses = meter.histogramBuilder("orchestrator.limiter.pause.duration").setUnit("s")
                .setDescription("How long a provider's calls were paused (retry-after, a quota nearly used)").build();
        rateLimited = meter.counterBuilder("orchestrator.llm.rate_limited").setUnit("{response}")
                .setDescription("Model calls the provider refused with 429 (or 529, overloaded)").build();
        retries = meter.counterBuilder("orchestrator.llm.retries").setUnit("{retry}")
                .setDescription("Model calls sent again after a passing failure or a wait the provider asked for")
                .build();
        missions = meter.counterBuilder("orchestrator.missions").setUnit("{mission}")
                .setDescription("Missions (runs of them) that ended, by outcome").build();
        cost = meter.counterBuilder("orchestrator.cost").ofDoubles().setUnit("USD")
                .setDescription("What the model calls cost, at the prices the telemetry was given").build();
        journalAppends = meter.histogramBuilder("orchestrator.journal.append.duration").setUnit("s")
                .setDescription("How long the mission waited for events it recorded together to be durable")
                .setExplicitBucketBoundariesAdvice(APPEND_BUCKETS).build();
        journalBytes = meter.counterBuilder("orchestrator.journal.appended").setUnit("By")
                .setDescription("Bytes of encoded events the mission appended to its journal").build();
    }

    void callStarted(String provider, String model) {
        inFlight.add(1, Attributes.of(GenAi.PROVIDER, provider, GenAi.REQUEST_MODEL, model));
    }

    void callEnded(String provider, String model) {
        inFlight.add(-1, Attributes.of(GenAi.PROVIDER, provider, GenAi.REQUEST_MODEL, model));
    }

    void attemptFailed(String provider, String model, LlmException failure) {
        if (failure instanceof LlmException.RateLimited || failure instanceof LlmException.Overloaded) {
            rateLimited.add(1, Attributes.of(GenAi.PROVIDER, provider, GenAi.REQUEST_MODEL, model,
                    GenAi.ERROR_TYPE, failure.getClass().getSimpleName()));
        }
    }

    /** A model call ended; {@code attributes} are the span's low-cardinality ones (operation, provider, models). */
    void callCompleted(Attributes attributes, Duration took, Usage usage) {
        duration.record(seconds(took), attributes);
        tokens.record(usage.inputTokens() + usage.cacheReadTokens() + usage.cacheWriteTokens(),
                attributes.toBuilder().put(GenAi.TOKEN_TYPE, "input").build());
        tokens.record(usage.outputTokens(), attributes.toBuilder().put(GenAi.TOKEN_TYPE, "output").build());
    }

    void callFailed(Attributes attributes, Duration took) {
        duration.record(seconds(took), attributes);
    }

    void limitChanged(String limiter, double newLimit) {
        limit.set(newLimit, Attributes.of(GenAi.LIMITER, limiter));
    }

    void waited(String limiter, Duration waited) {
        waits.record(seconds(waited), Attributes.of(GenAi.LIMITER, limiter));
    }

    void paused(String limiter, String cause, Duration paused) {
        pauses.record(seconds(paused), Attributes.of(GenAi.LIMITER, limiter, GenAi.CAUSE, cause));
    }

    void retried(String errorType) {
        retries.add(1, Attributes.of(GenAi.ERROR_TYPE, errorType));
    }

    void missionEnded(String outcome) {
        missions.add(1, Attributes.of(GenAi.MISSION_OUTCOME, outcome));
    }

    /** On the thread that recorded the events, for every append: without attributes, so without allocation. */
    void journalAppended(long bytes, long nanos) {
        journalAppends.record(Math.max(0, nanos) / 1e9);
        if (bytes > 0) {
            journalBytes.add(bytes);
        }
    }

    void cost(String model, double dollars) {
        cost.add(dollars, Attributes.of(GenAi.RESPONSE_MODEL, model));
    }

    private static double seconds(Duration duration) {
        return Math.max(0, duration.toNanos()) / 1e9;
    }
}
