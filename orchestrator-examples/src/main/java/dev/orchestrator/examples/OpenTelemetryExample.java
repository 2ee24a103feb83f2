package dev.orchestrator.examples;

import dev.orchestrator.api.MissionResult;
import dev.orchestrator.cli.ProviderChoice;
import dev.orchestrator.cli.QuickStartScript;
import dev.orchestrator.opentelemetry.MissionTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The quick start's mission traced with OpenTelemetry: {@code MissionTelemetry} turns its events and model calls
 * into spans by the GenAI conventions, and at the end the example prints them as a tree, each with its start
 * after the mission's and its length, so the Workers that ran in parallel show side by side. Offline on the scripted
 * provider, or on a real one when a key or base URL is set, as the quick start.
 *
 * <p>To see the same spans in Jaeger or Grafana Tempo, give the SDK an OTLP exporter instead of {@link SpanTree}
 * (see the README's OpenTelemetry section).
 *
 * <pre>
 * mvn -q -B install -DskipTests &amp;&amp; mvn -q -pl orchestrator-examples exec:java \
 *     -Dexec.mainClass=dev.orchestrator.examples.OpenTelemetryExample
 * </pre>
 */
public final class OpenTelemetryExample {

    private static final String PROGRAM = "OpenTelemetry example";

    private OpenTelemetryExample() {
    }

    /** Runs the example in a new temporary directory; exits with 2 after one line for a setting, 1 for a failure. */
    public static void main(String[] args) {
        Path workspace = Exits.configured(PROGRAM, () -> Files.createTempDirectory("orchestrator-otel-"));
        MissionResult result;
        try (ProviderChoice choice = Exits.configured(PROGRAM, () -> ProviderChoice.fromEnvironment(System.getenv(),
                () -> QuickStartScript.provider(Duration.ofMillis(150))))) {
            System.out.println("Model: " + choice.description());
            result = Exits.configured(PROGRAM, () -> run(workspace, choice, System.out));
        }
        Exits.exitUnlessCompleted(result);
    }

    static MissionResult run(Path workspace, ProviderChoice choice, PrintStream out) throws IOException {
        SpanTree spans = new SpanTree();
        MissionResult result;
        try (OpenTelemetrySdk openTelemetry = OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans))
                        .build())
                .build()) {
            MissionTelemetry telemetry = MissionTelemetry.builder(openTelemetry).build();
            out.println("Running the quick start's mission in " + workspace + ", traced...");
            result = QuickStart.builder(workspace, telemetry.provider(choice.provider()), telemetry).build().run();
        }
        out.println();
        out.println("Spans (start after the mission's, length, name):");
        spans.print(out);
        out.println();
        out.println("Outcome: " + result.outcome() + (result.isCompleted() ? "" : " (" + result.reason() + ")"));
        return result;
    }
}
