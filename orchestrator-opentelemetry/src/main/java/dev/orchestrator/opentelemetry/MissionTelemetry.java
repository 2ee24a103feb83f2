package dev.orchestrator.opentelemetry;

import dev.orchestrator.api.LlmProvider;
import dev.orchestrator.api.MissionEvent;
import dev.orchestrator.api.MissionListener;
import dev.orchestrator.api.MissionProgress;
import dev.orchestrator.core.llm.ModelPrices;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * OpenTelemetry traces and metrics of a mission, by the GenAI semantic conventions. Add it as a listener, and wrap
 * the provider with {@link #provider(LlmProvider)} so that each {@code chat} span starts when the call went out and
 * knows the provider and the request:
 *
 * <pre>{@code
 * MissionTelemetry telemetry = MissionTelemetry.builder(openTelemetry).build();
 * Mission.builder()...
 *     .provider(telemetry.provider(OpenAiCompatible.fromEnv()))
 *     .listener(telemetry)
 * }</pre>
 *
 * <p>A run of a mission is a span {@code mission}; under it an {@code invoke_agent <role>} span per agent task,
 * under those a {@code chat <model>} span per model call (usage, finish reason, {@code error.type}; retries as
 * events) and an {@code execute_tool <tool>} span per tool call. Limiter waits, pauses and limit changes are events
 * of the mission span, compactions events of the task's.
 *
 * <p>Every run of one mission, resumed after a crash or run again after a stop, in this process or another, is in
 * one trace: the first run's mission span is a child of the span current on the thread that started the mission
 * (a root when there is none), and the mission's journal keeps, as W3C {@code traceparent}, the parent of every
 * later run: that same span, or the first run's mission span when the mission was started outside any. Prompts,
 * completions, tool arguments and results are exported only with {@link Builder#captureContents(boolean)}, and then
 * with the mission's known credentials redacted.
 *
 * <p>One instance follows one mission at a time: build one per mission (they are cheap; the instruments are
 * shared by the {@link OpenTelemetry} instance).
 */
public final class MissionTelemetry implements MissionListener {

    private static final String SCOPE = "dev.orchestrator.opentelemetry";
    // reads the parent of a mission's runs from the context its journal keeps
    private static final TextMapGetter<Map<String, String>> JOURNALED = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    };

    private final Tracer tracer;
    private final TelemetryMetrics metrics;
    private final ModelPrices prices;
    private final boolean captureContents;
    private final InstantSource clock;
    private final Map<String, TracedProvider.Call> calls = new ConcurrentHashMap<>();
    // set on the listener thread of each run; a later run of the mission has a listener thread of its own
    private volatile MissionSpans spans;
    // a new mission's span, started on the thread that starts the mission and taken by its first run
    private volatile Span firstRun;

    private MissionTelemetry(Builder builder) {
        this.tracer = builder.openTelemetry.getTracer(SCOPE);
        this.metrics = new TelemetryMetrics(builder.openTelemetry.getMeter(SCOPE));
        this.prices = builder.prices;
        this.captureContents = builder.captureContents;
        this.clock = builder.clock;
    }

    /**
     * A builder that reports to {@code openTelemetry}, such as the SDK the application configured or
     * {@code GlobalOpenTelemetry.get()} under the Java agent.
     *
     * @param openTelemetry where spans and metrics go
     * @return the builder
     */
    public static Builder builder(OpenTelemetry openTelemetry) {
        return new Builder(openTelemetry);
    }

    /**
     * {@code provider}, noting when each call goes out and what it asks, for the {@code chat} spans. Without it the
     * spans are still made, starting where the task's previous step ended and without the provider's name.
     *
     * @param provider the mission's provider
     * @return the same provider, observed
     */
    public LlmProvider provider(LlmProvider provider) {
        return new TracedProvider(Objects.requireNonNull(provider, "provider"), clock, calls, metrics);
    }

    /**
     * Starts the new mission's span, under the span current on this thread (the one starting the mission), and
     * keeps the parent of its later runs as W3C {@code traceparent}: that span, or this run's when there is none.
     */
    @Override
    public Map<String, String> missionContext() {
        Context current = Context.current();
        Span mission = tracer.spanBuilder("mission").setParent(current).setSpanKind(SpanKind.INTERNAL)
                .setStartTimestamp(clock.instant()).startSpan();
        firstRun = mission;
        Context laterRuns = Span.fromContext(current).getSpanContext().isValid() ? current
                : current.with(mission);
        Map<String, String> context = new HashMap<>();
        W3CTraceContextPropagator.getInstance().inject(laterRuns, context, Map::put);
        return context;
    }

    /** Follows the run: under the journaled parent, or in the span {@link #missionContext()} began for it. */
    @Override
    public void onRunStarted(RunStarted run) {
        Span started = firstRun;
        firstRun = null;
        Context parent = W3CTraceContextPropagator.getInstance().extract(Context.root(), run.context(), JOURNALED);
        spans = new MissionSpans(tracer, metrics, calls, prices, captureContents, run, parent, started);
    }

    @Override
    public void onJournalAppended(int events, long bytes, long nanos) {
        metrics.journalAppended(bytes, nanos);
    }

    @Override
    public void onEvent(MissionEvent event, MissionProgress progress) {
        if (spans != null) {
            spans.on(event);
        }
    }

    /** Builds a {@link MissionTelemetry}. */
    public static final class Builder {
        private final OpenTelemetry openTelemetry;
        private ModelPrices prices = ModelPrices.defaults();
        private boolean captureContents;
        private InstantSource clock = InstantSource.system();

        private Builder(OpenTelemetry openTelemetry) {
            this.openTelemetry = Objects.requireNonNull(openTelemetry, "openTelemetry");
        }

        /**
         * Exports prompts, completions, the goal, todos, tool arguments and results as span attributes. Off by
         * default: they may hold code and secrets. The mission's known credentials (its provider's key, secret
         * environment variables, values given to {@code Mission.Builder.secret}) are redacted first.
         *
         * @param capture whether to export contents
         * @return this builder
         */
        public Builder captureContents(boolean capture) {
            this.captureContents = capture;
            return this;
        }

        /**
         * The prices the {@code orchestrator.cost} counter uses; {@link ModelPrices#defaults()} by default. A model
         * without a price adds no cost.
         *
         * @param prices the prices
         * @return this builder
         */
        public Builder prices(ModelPrices prices) {
            this.prices = Objects.requireNonNull(prices, "prices");
            return this;
        }

        /**
         * The clock that times model calls: the mission's, when it has one of its own (a test's fake clock).
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder clock(InstantSource clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** {@return the telemetry} */
        public MissionTelemetry build() {
            return new MissionTelemetry(this);
        }
    }
}
